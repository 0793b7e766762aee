using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using TensorFusion.Api.Conventions;
using TensorFusion.Gpu.Cluster;

namespace TensorFusion.Pipelines.Claims;

/// <summary>
/// The DRA shape of a worker's GPUs (docs/agent-protocol.md, "Device delivery"): one ResourceClaim per worker pod,
/// named <c>&lt;pod&gt;-gpu</c>, owned by the pod (garbage-collected with it) and referenced from its spec, whose
/// status the allocator writes before it binds: one result per GPU share (driver <see cref="Driver"/>, pool = node,
/// device = the GPU object's name, or the MIG instance's device name) and the pod in reservedFor.
/// </summary>
public static partial class WorkerClaims
{
    /// <summary>The DRA driver (and DeviceClass) name of the node agent's kubelet plugin.</summary>
    public const string Driver = "gpu.tensor-fusion.ai";

    /// <summary>The claim's one request and the pod's claim entry carry this name.</summary>
    public const string RequestName = "gpu";

    /// <summary>On the claim: the worker pod it belongs to, as namespace/name (for people and for the agent's logs).</summary>
    public const string WorkerAnnotation = Labels.Prefix + "worker";

    public static string ClaimName(string podName) => podName + "-" + RequestName;

    /// <summary>Adds the claim reference to a worker pod about to be created (spec.resourceClaims is immutable afterwards).</summary>
    public static void Attach(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var spec = pod.Spec;
        spec.ResourceClaims ??= [];
        if (!spec.ResourceClaims.Any(claim => claim.Name == RequestName))
        {
            spec.ResourceClaims.Add(new V1PodResourceClaim { Name = RequestName, ResourceClaimName = ClaimName(pod.Metadata.Name) });
        }

        foreach (var container in spec.Containers)
        {
            container.Resources ??= new V1ResourceRequirements();
            container.Resources.Claims ??= [];
            if (!container.Resources.Claims.Any(claim => claim.Name == RequestName))
            {
                container.Resources.Claims.Add(new Corev1ResourceClaim { Name = RequestName });
            }
        }
    }

    /// <summary>The claim name when the pod refers to its worker claim (created with one by the operator), else null.</summary>
    public static string? ReferencedClaim(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var expected = ClaimName(pod.Metadata?.Name ?? string.Empty);
        return pod.Spec?.ResourceClaims?.Any(claim => claim.Name == RequestName && claim.ResourceClaimName == expected) == true ? expected : null;
    }

    /// <summary>The claim the operator creates for a worker pod: one request for <paramref name="gpus"/> devices of our class, owned by the pod.</summary>
    public static JsonObject NewClaim(V1Pod pod, int gpus)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var meta = pod.Metadata;
        return new JsonObject
        {
            ["apiVersion"] = "resource.k8s.io/v1",
            ["kind"] = "ResourceClaim",
            ["metadata"] = new JsonObject
            {
                ["name"] = ClaimName(meta.Name),
                ["namespace"] = meta.NamespaceProperty,
                ["annotations"] = new JsonObject { [WorkerAnnotation] = $"{meta.NamespaceProperty}/{meta.Name}" },
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["name"] = meta.Name,
                    // No blockOwnerDeletion: background collection needs none, and setting it would need pods/finalizers.
                    ["uid"] = meta.Uid,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["devices"] = new JsonObject
                {
                    ["requests"] = new JsonArray(new JsonObject
                    {
                        ["name"] = RequestName,
                        ["exactly"] = new JsonObject { ["deviceClassName"] = Driver, ["allocationMode"] = "ExactCount", ["count"] = gpus },
                    }),
                },
            },
        };
    }

    /// <summary>The status that allocates the claim to the placed worker and reserves it for its pod.</summary>
    public static JsonObject AllocatedStatus(V1Pod pod, WorkerAllocation allocation)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(allocation);
        var results = new JsonArray();
        foreach (var share in allocation.Shares)
        {
            results.Add(new JsonObject { ["request"] = RequestName, ["driver"] = Driver, ["pool"] = allocation.Node, ["device"] = DeviceName(share) });
        }

        return new JsonObject
        {
            ["allocation"] = new JsonObject
            {
                ["devices"] = new JsonObject { ["results"] = results },
                ["nodeSelector"] = new JsonObject
                {
                    ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                    {
                        ["matchFields"] = new JsonArray(new JsonObject
                        {
                            ["key"] = "metadata.name", ["operator"] = "In", ["values"] = new JsonArray(allocation.Node),
                        }),
                    }),
                },
                ["allocationTimestamp"] = allocation.AllocatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            },
            ["reservedFor"] = new JsonArray(new JsonObject { ["resource"] = "pods", ["name"] = pod.Metadata.Name, ["uid"] = pod.Metadata.Uid }),
        };
    }

    /// <summary>
    /// The device a share names in the node's ResourceSlice: the GPU object's name (the GPU's UUID lowercased, so a DNS
    /// label), or for a MIG instance <c>&lt;gpu&gt;-mig-&lt;profile&gt;-&lt;start&gt;</c> with the profile's dots and plus
    /// signs as dashes (<c>gpu-8f…-mig-1g-10gb-0</c>).
    /// </summary>
    public static string DeviceName(GpuShare share)
    {
        ArgumentNullException.ThrowIfNull(share);
        return share.Partition is { } partition
            ? $"{share.Gpu}-mig-{NotLabelCharacters().Replace(partition.Profile.ToLowerInvariant(), "-")}-{partition.Start.ToString(CultureInfo.InvariantCulture)}"
            : share.Gpu;
    }

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex NotLabelCharacters();
}
