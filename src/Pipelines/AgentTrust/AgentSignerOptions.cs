using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TensorFusion.Api.Conventions;

namespace TensorFusion.Pipelines.AgentTrust;

/// <summary>How the operator signs agent serving certificates.</summary>
public sealed record AgentSignerOptions
{
    /// <summary>The operator's namespace: the CA's Secret and ConfigMap live here, and so does the agent ServiceAccount by default.</summary>
    public required string Namespace { get; init; }

    /// <summary>Users (spec.username) whose requests may be signed; default the agent ServiceAccount in <see cref="Namespace"/>.</summary>
    public IReadOnlySet<string>? AgentUsers { get; init; }

    /// <summary>Lifetime of an issued certificate; agents renew at two thirds of it. A request's shorter expirationSeconds wins.</summary>
    public TimeSpan CertificateLifetime { get; init; } = TimeSpan.FromHours(24);

    public ILogger Logger { get; init; } = NullLogger.Instance;

    public IReadOnlySet<string> EffectiveAgentUsers => AgentUsers ?? new HashSet<string>(StringComparer.Ordinal) { AgentServingIdentity.AgentUser(Namespace) };
}
