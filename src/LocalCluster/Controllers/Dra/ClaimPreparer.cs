using System.Text.Json.Nodes;
using Grpc.Core;
using TensorFusion.KubeletApi.Dra.V1;
using TensorFusion.LocalCluster.Semantics;
using TensorFusion.LocalCluster.Storage;

namespace TensorFusion.LocalCluster.Controllers.Dra;

/// <summary>
/// The kubelet's DRA manager for one pod: checks that each of the pod's claims is allocated and reserved for it, asks
/// each driver's plugin to prepare its claims (<c>NodePrepareResources</c>), resolves the returned CDI device names
/// against the node's CDI specs, and gives back what the container gets (<see cref="ContainerEditsAnnotation"/>);
/// <see cref="UnprepareAsync"/> undoes it when the pod goes. Every failure is a <see cref="DraPrepareException"/>
/// whose message names the claim, driver or device.
/// </summary>
public sealed class ClaimPreparer(ObjectStore store, KubeletPluginRegistry plugins, TimeProvider time)
{
    /// <summary>
    /// On a pod whose claims were prepared: JSON <c>{claims: [{namespace, name, uid, driver}], devices: [CDI names],
    /// env: [...], deviceNodes: [...], mounts: [...]}</c>, what the simulated container was given.
    /// </summary>
    public const string ContainerEditsAnnotation = "local.tensor-fusion.ai/container-edits";

    private const string Claims = "resourceclaims.resource.k8s.io";

    /// <summary>True when the pod refers to resource claims (the kubelet must prepare them before it starts containers).</summary>
    public static bool HasClaims(JsonObject pod) => pod["spec"]?["resourceClaims"] is JsonArray { Count: > 0 };

    public async Task<JsonObject> PrepareAsync(JsonObject pod, SimulatedKubeletPaths? paths, CancellationToken cancellationToken)
    {
        var ns = Meta.Text(pod["metadata"], "namespace") ?? string.Empty;
        var podName = Meta.Name(pod) ?? string.Empty;
        if (paths is null)
        {
            throw new DraPrepareException($"pod {ns}/{podName} has resource claims but node {Meta.Text(pod["spec"], "nodeName")} runs no DRA plugins (no {SimulatedKubeletPaths.PluginsRegistryAnnotation} annotation)");
        }

        var claims = ReservedClaims(pod, ns, podName);
        var devices = new List<string>();
        foreach (var group in claims.GroupBy(claim => claim.Driver, StringComparer.Ordinal))
        {
            var endpoint = await plugins.EndpointAsync(paths.PluginsRegistry, group.Key, cancellationToken);
            var request = new NodePrepareResourcesRequest();
            request.Claims.AddRange(group.Select(claim => new Claim { Namespace = claim.Namespace, Name = claim.Name, Uid = claim.Uid }));
            var response = await CallAsync(paths, group.Key, endpoint, (client, token) => client.NodePrepareResourcesAsync(request, cancellationToken: token).ResponseAsync, cancellationToken);
            foreach (var claim in group)
            {
                if (!response.Claims.TryGetValue(claim.Uid, out var answer))
                {
                    throw new DraPrepareException($"DRA driver {group.Key} did not answer for claim {claim.Namespace}/{claim.Name} (uid {claim.Uid})");
                }

                if (answer.Error.Length > 0)
                {
                    throw new DraPrepareException($"DRA driver {group.Key} failed to prepare claim {claim.Namespace}/{claim.Name}: {answer.Error}");
                }

                devices.AddRange(answer.Devices.SelectMany(device => device.CdiDeviceIds).Where(id => !devices.Contains(id)));
            }
        }

        var edits = CdiResolver.Resolve(paths.CdiDirectories, devices, paths.SimulatedCdiKinds);
        edits.Insert(0, "claims", new JsonArray([.. claims.Select(claim => (JsonNode)new JsonObject
        {
            ["namespace"] = claim.Namespace, ["name"] = claim.Name, ["uid"] = claim.Uid, ["driver"] = claim.Driver,
        })]));
        return edits;
    }

    /// <summary>Unprepares what <see cref="PrepareAsync"/> recorded on the pod; nothing when it recorded nothing.</summary>
    public async Task UnprepareAsync(JsonObject pod, SimulatedKubeletPaths? paths, CancellationToken cancellationToken)
    {
        var recorded = Meta.StringMap(pod["metadata"]?["annotations"]).GetValueOrDefault(ContainerEditsAnnotation);
        if (recorded is null || paths is null || JsonNode.Parse(recorded)?["claims"] is not JsonArray claims)
        {
            return;
        }

        foreach (var group in claims.OfType<JsonObject>().GroupBy(claim => Meta.Text(claim, "driver") ?? string.Empty, StringComparer.Ordinal))
        {
            var endpoint = await plugins.EndpointAsync(paths.PluginsRegistry, group.Key, cancellationToken);
            var request = new NodeUnprepareResourcesRequest();
            request.Claims.AddRange(group.Select(claim => new Claim { Namespace = Meta.Text(claim, "namespace"), Name = Meta.Text(claim, "name"), Uid = Meta.Text(claim, "uid") }));
            var response = await CallAsync(paths, group.Key, endpoint, (client, token) => client.NodeUnprepareResourcesAsync(request, cancellationToken: token).ResponseAsync, cancellationToken);
            foreach (var (uid, answer) in response.Claims.Where(pair => pair.Value.Error.Length > 0))
            {
                throw new DraPrepareException($"DRA driver {group.Key} failed to unprepare claim uid {uid}: {answer.Error}");
            }
        }
    }

    /// <summary>The pod's claims with their driver, each checked to be allocated and reserved for this pod.</summary>
    private List<(string Namespace, string Name, string Uid, string Driver)> ReservedClaims(JsonObject pod, string ns, string podName)
    {
        var podUid = Meta.Uid(pod);
        var generated = (pod["status"]?["resourceClaimStatuses"] as JsonArray)?.OfType<JsonObject>()
            .ToDictionary(status => Meta.Text(status, "name") ?? string.Empty, status => Meta.Text(status, "resourceClaimName"), StringComparer.Ordinal) ?? [];
        var claims = new List<(string, string, string, string)>();
        foreach (var entry in (pod["spec"]?["resourceClaims"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var entryName = Meta.Text(entry, "name") ?? string.Empty;
            var claimName = Meta.Text(entry, "resourceClaimName") ?? generated.GetValueOrDefault(entryName)
                ?? throw new DraPrepareException($"pod {ns}/{podName}: claim {entryName} from template {Meta.Text(entry, "resourceClaimTemplateName")} has not been generated (status.resourceClaimStatuses)");
            var claim = store.Get(Claims, ns, claimName)?.Value
                ?? throw new DraPrepareException($"ResourceClaim {ns}/{claimName} of pod {podName} does not exist");
            var status = claim["status"];
            if (status?["allocation"]?["devices"]?["results"] is not JsonArray { Count: > 0 } results)
            {
                throw new DraPrepareException($"ResourceClaim {ns}/{claimName} is not allocated");
            }

            if (!(status["reservedFor"] as JsonArray ?? []).OfType<JsonObject>().Any(consumer => Meta.Text(consumer, "uid") == podUid))
            {
                throw new DraPrepareException($"ResourceClaim {ns}/{claimName} is not reserved for pod {podName} (uid {podUid})");
            }

            foreach (var driver in results.OfType<JsonObject>().Select(result => Meta.Text(result, "driver") ?? string.Empty).Distinct(StringComparer.Ordinal))
            {
                claims.Add((ns, claimName, Meta.Uid(claim) ?? string.Empty, driver));
            }
        }

        return claims;
    }

    private async Task<T> CallAsync<T>(
        SimulatedKubeletPaths paths, string driver, string endpoint, Func<DRAPlugin.DRAPluginClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            using var channel = KubeletApi.UnixSocketChannel.Create(endpoint);
            using var deadline = new PluginCallDeadline(time, cancellationToken);
            return await call(new DRAPlugin.DRAPluginClient(channel), deadline.Token);
        }
        catch (RpcException failure)
        {
            // The plugin may have restarted on another socket: register it again on the next try.
            plugins.Forget(paths.PluginsRegistry, driver);
            throw new DraPrepareException($"DRA driver {driver} at {endpoint}: {failure.Status.StatusCode} {failure.Status.Detail}", failure);
        }
    }
}
