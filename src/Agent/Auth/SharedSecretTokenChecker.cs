using System.Security.Cryptography;
using System.Text;

namespace TensorFusion.Agent.Auth;

/// <summary>Local mode: the token must equal a shared secret. Compared in constant time over SHA-256 digests, so
/// neither content nor length leaks through timing.</summary>
public sealed class SharedSecretTokenChecker : IBearerTokenChecker
{
    private readonly byte[] _secretDigest;

    public SharedSecretTokenChecker(string secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 16)
        {
            throw new ArgumentException("the agent's shared secret must be at least 16 characters (--token / TF_AGENT_TOKEN)", nameof(secret));
        }

        _secretDigest = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    public Task<TokenCheckResult> CheckAsync(string token, CancellationToken cancellationToken)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(token ?? string.Empty));
        return Task.FromResult(CryptographicOperations.FixedTimeEquals(digest, _secretDigest)
            ? TokenCheckResult.Allow("shared-secret")
            : TokenCheckResult.Deny("token does not match the shared secret"));
    }
}
