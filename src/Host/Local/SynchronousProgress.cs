namespace TensorFusion.Host.Local;

/// <summary>An IProgress that reports on the caller's thread, so progress lines appear in order.</summary>
public sealed class SynchronousProgress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
