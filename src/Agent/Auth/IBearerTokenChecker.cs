namespace TensorFusion.Agent.Auth;

/// <summary>Decides whether a bearer token may call the agent API (shared secret locally, TokenReview in a cluster).</summary>
public interface IBearerTokenChecker
{
    /// <summary>Checks <paramref name="token"/>; never throws for a bad token, only for an unusable checker.</summary>
    Task<TokenCheckResult> CheckAsync(string token, CancellationToken cancellationToken);
}
