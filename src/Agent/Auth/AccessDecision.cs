namespace TensorFusion.Agent.Auth;

/// <summary>
/// The answer to one authenticated request: <see cref="StatusCode"/> 200 (go on), 401 (no or bad token), 403 (the
/// token's user may not do this) or 503 (the API server could not be asked). <see cref="Reason"/> never echoes the token.
/// </summary>
public sealed record AccessDecision(int StatusCode, string? User, string? Reason)
{
    public bool Allowed => StatusCode == 200;

    public static AccessDecision Allow(string user) => new(200, user, null);

    public static AccessDecision Unauthenticated(string reason) => new(401, null, reason);

    public static AccessDecision Forbidden(string user, string reason) => new(403, user, reason);

    public static AccessDecision Unavailable(string reason) => new(503, null, reason);
}
