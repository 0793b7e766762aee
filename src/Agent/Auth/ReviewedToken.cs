namespace TensorFusion.Agent.Auth;

/// <summary>What TokenReview said of one token: its user and groups, or why it was refused.</summary>
internal sealed record ReviewedToken(string? User, IReadOnlyList<string> Groups, string? Refusal)
{
    public bool Authenticated => User is not null;
}
