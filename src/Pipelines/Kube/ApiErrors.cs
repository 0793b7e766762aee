namespace TensorFusion.Pipelines.Kube;

/// <summary>
/// The one classification of API-call failures worth retrying: the server answered with an error status, or the
/// connection failed or was cut short. Callers that also retry on timeouts or malformed bodies say so beside the call.
/// </summary>
public static class ApiErrors
{
    public static bool IsTransient(Exception error) => error is ApiStatusException or HttpRequestException or IOException;

    /// <summary>
    /// <see cref="IsTransient(Exception)"/>, or a timeout: a cancellation that did not come from
    /// <paramref name="stopping"/> (the caller's own token means stop, not retry).
    /// </summary>
    public static bool IsTransientOrTimeout(Exception error, CancellationToken stopping) =>
        IsTransient(error) || (error is OperationCanceledException && !stopping.IsCancellationRequested);
}
