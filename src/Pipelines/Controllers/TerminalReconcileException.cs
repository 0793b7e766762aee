namespace TensorFusion.Pipelines.Controllers;

/// <summary>A failure that retrying cannot fix: counted as <c>terminal</c> and not requeued.</summary>
public sealed class TerminalReconcileException : Exception
{
    public TerminalReconcileException()
    {
    }

    public TerminalReconcileException(string message)
        : base(message)
    {
    }

    public TerminalReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
