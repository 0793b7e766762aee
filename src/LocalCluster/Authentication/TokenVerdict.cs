namespace TensorFusion.LocalCluster.Authentication;

/// <summary>What checking one bearer token found: the user and the audiences it was accepted for, or why it was refused.</summary>
public sealed record TokenVerdict(UserInfo? User, IReadOnlyList<string> Audiences, string? Error)
{
    public bool Authenticated => User is not null;

    public static TokenVerdict Refused(string error) => new(null, [], error);
}
