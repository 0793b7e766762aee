using Microsoft.Extensions.Logging;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>Completes <see cref="Matched"/> with the first log line (message and exception) containing a text.</summary>
internal sealed class LineWatchingLogger(string wanted) : ILogger
{
    private readonly TaskCompletionSource<string> _matched = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Matched => _matched.Task;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var line = formatter(state, exception) + " " + exception?.Message;
        if (line.Contains(wanted, StringComparison.Ordinal))
        {
            _matched.TrySetResult(line);
        }
    }
}
