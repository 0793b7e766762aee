namespace TensorFusion.Pipelines.Agents;

/// <summary>
/// A bearer token kept in a file (a shared secret, or a projected ServiceAccount token the kubelet rotates). The file
/// is read again once the cached copy is older than <c>refresh</c> (client-go re-reads every minute), so a rotated
/// token is used without a restart. A file that cannot be read gives null (the agent then answers 401 and the push
/// is retried with backoff) until it can.
/// </summary>
public sealed class BearerTokenFile(string path, TimeProvider time, TimeSpan? refresh = null)
{
    private readonly TimeSpan _refresh = refresh ?? TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public string Path { get; } = path;

    public string? Current()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_token is null || now - _readAt >= _refresh)
            {
                _token = TryRead() ?? _token;
                _readAt = now;
            }

            return _token;
        }
    }

    /// <summary>Null when the file holds a usable token; otherwise what is wrong with it (for start-up validation).</summary>
    public static string? Problem(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim().Length == 0 ? $"\"{path}\" is empty" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"\"{path}\" cannot be read: {e.Message}";
        }
    }

    private string? TryRead()
    {
        try
        {
            var text = File.ReadAllText(Path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
