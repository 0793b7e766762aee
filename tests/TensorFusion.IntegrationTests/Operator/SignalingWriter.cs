using System.Text;

namespace TensorFusion.IntegrationTests.Operator;

/// <summary>Collects what a host writes and completes <see cref="Seen"/> once the text contains a marker, so a test can
/// await "the endpoint is serving" instead of polling it.</summary>
internal sealed class SignalingWriter(string marker) : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Completes when <c>marker</c> has been written.</summary>
    public Task Seen => _seen.Task;

    public override void Write(char value) => Append(value.ToString());

    public override void Write(string? value) => Append(value ?? string.Empty);

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    private void Append(string value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (_text.ToString().Contains(marker, StringComparison.Ordinal))
            {
                _seen.TrySetResult();
            }
        }
    }
}
