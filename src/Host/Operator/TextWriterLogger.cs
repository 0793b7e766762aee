using Microsoft.Extensions.Logging;

namespace TensorFusion.Host.Operator;

/// <summary>
/// Writes warnings and errors as one line each to the operator's output (stdout for <c>tensorfusion operator</c>,
/// DIR/operator.log in local mode), so a reconcile that keeps failing is visible where the user already looks.
/// </summary>
public sealed class TextWriterLogger(TextWriter output, TimeProvider time, LogLevel minimum = LogLevel.Warning) : ILogger
{
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var line = $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ss.fffZ} {logLevel.ToString().ToLowerInvariant()}: {formatter(state, exception)}"
            + (exception is null ? "" : $": {exception.GetType().Name}: {exception.Message}");
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
