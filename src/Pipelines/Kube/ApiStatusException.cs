using System.Net;

namespace TensorFusion.Pipelines.Kube;

/// <summary>A non-success answer from the API server, with the Status object's reason and message when it had one.</summary>
public sealed class ApiStatusException : Exception
{
    public ApiStatusException()
    {
    }

    public ApiStatusException(string message)
        : base(message)
    {
    }

    public ApiStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ApiStatusException(HttpStatusCode statusCode, string? reason, string message, TimeSpan? retryAfter = null)
        : base($"{(int)statusCode} {reason}: {message}")
    {
        StatusCode = statusCode;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The Status object's <c>details.causes</c> as (reason, message): e.g. the DisruptionBudget cause of a refused eviction.</summary>
    public IReadOnlyList<(string Reason, string Message)> Causes { get; init; } = [];

    public string? Reason { get; }

    /// <summary>The server's Retry-After, when it sent one (429, 503).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// 410 Gone / reason Expired (the resourceVersion is older than the server's history), or a "Too large resource
    /// version" answer (the server is behind the version we hold, e.g. restored from backup): either way, relist.
    /// </summary>
    public bool IsExpired => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone"
        || Message.Contains("Too large resource version", StringComparison.OrdinalIgnoreCase);

    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    public bool IsTooManyRequests => StatusCode == HttpStatusCode.TooManyRequests;
}
