using TensorFusion.LocalCluster;
using TensorFusion.LocalCluster.Authorization;

namespace TensorFusion.Host.Local;

/// <summary>
/// Local mode runs as production does: the ServiceAccounts, ClusterRoles, Roles and bindings of deploy/base (embedded
/// in this binary, so a fresh machine needs no kubectl) are applied to the embedded API server, and the operator and
/// the agents each get a kubeconfig holding their own ServiceAccount token. The operator also gets a token for the
/// agents' audience, which the agents check through TokenReview as in a cluster.
/// </summary>
public static class LocalIdentities
{
    public const string Namespace = "tensor-fusion-system";
    public const string OperatorAccount = "tensorfusion-operator";
    public const string AgentAccount = "tensorfusion-agent";

    /// <summary>The audience the agents accept (the DaemonSet's --token-review-audience).</summary>
    public const string AgentAudience = "tensorfusion-agent";

    public static string OperatorUser => $"system:serviceaccount:{Namespace}:{OperatorAccount}";

    // The signing key lives only as long as the server, so tokens end with it; a day covers a local session, and a
    // restart of `local` issues fresh ones.
    private const long TokenLifetimeSeconds = 24 * 3600;

    /// <summary>Applies the shipped identities and writes DIR/operator.kubeconfig and DIR/agent.kubeconfig.</summary>
    public static async Task<LocalIdentityFiles> InstallAsync(LocalApiServer server, string stateDirectory, IProgress<string> progress)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(progress);
        var applied = await IdentityManifests.ApplyAsync(server.Operations, server.Registry, ShippedManifests(), Namespace);
        var files = new LocalIdentityFiles(Path.Combine(stateDirectory, "operator.kubeconfig"), Path.Combine(stateDirectory, "agent.kubeconfig"), Issue(server, OperatorAccount, AgentAudience));
        server.WriteKubeconfig(files.OperatorKubeconfig, Issue(server, OperatorAccount, null));
        server.WriteKubeconfig(files.AgentKubeconfig, Issue(server, AgentAccount, null));
        progress.Report($"applied {applied} identity objects from deploy/base; the operator and the agents run as their ServiceAccounts in {Namespace}");
        return files;
    }

    /// <summary>The operator and agent manifests of deploy/base, as shipped (other kinds in them are skipped).</summary>
    public static string ShippedManifests()
    {
        var assembly = typeof(LocalIdentities).Assembly;
        var documents = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("deploy-base/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
                return reader.ReadToEnd();
            });
        return string.Join("\n---\n", documents);
    }

    /// <summary>A token for one of the shipped ServiceAccounts, for the given audience (the API server's when null).</summary>
    internal static string Issue(LocalApiServer server, string account, string? audience)
    {
        var stored = server.Store.Get("serviceaccounts", Namespace, account)
            ?? throw new InvalidOperationException($"deploy/base defines no ServiceAccount {Namespace}/{account}; local mode cannot run that component under its shipped identity");
        var uid = stored.Value["metadata"]?["uid"]?.GetValue<string>() ?? string.Empty;
        return server.ServiceAccountTokens.Issue(Namespace, account, uid, [audience ?? LocalCluster.Authentication.ServiceAccountTokens.ApiServerAudience], TokenLifetimeSeconds).Token;
    }
}
