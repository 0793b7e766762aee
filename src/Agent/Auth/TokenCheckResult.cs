namespace TensorFusion.Agent.Auth;

/// <summary>The verdict on one token; <see cref="Reason"/> says why a token was refused (never echoes the token).</summary>
public sealed record TokenCheckResult(bool Allowed, string? Subject, string? Reason)
{
    public static TokenCheckResult Allow(string subject) => new(true, subject, null);

    public static TokenCheckResult Deny(string reason) => new(false, null, reason);
}
