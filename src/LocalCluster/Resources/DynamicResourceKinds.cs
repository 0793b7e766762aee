using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Http;

namespace TensorFusion.LocalCluster.Resources;

/// <summary>
/// The resource.k8s.io/v1 kinds (dynamic resource allocation, GA in Kubernetes 1.34): DeviceClass, ResourceClaim (with
/// status), ResourceClaimTemplate and ResourceSlice. Unlike the other built-ins they carry a structural schema
/// (DynamicResourceSchemas.yaml), so a claim without a device class or an allocation result without a device is
/// refused with the field named, exactly as a custom resource's would be.
/// </summary>
public static class DynamicResourceKinds
{
    public const string Group = "resource.k8s.io";

    private static readonly Lazy<JsonObject> Schemas = new(LoadSchemas);

    public static IReadOnlyList<ResourceType> All() =>
    [
        Kind("deviceclasses", "DeviceClass", "deviceclass", namespaced: false, hasStatus: false, Copy("deviceClass")),
        Kind("resourceclaims", "ResourceClaim", "resourceclaim", namespaced: true, hasStatus: true,
            Root(("spec", Copy("claimSpec")), ("status", Copy("claimStatus")))),
        Kind("resourceclaimtemplates", "ResourceClaimTemplate", "resourceclaimtemplate", namespaced: true, hasStatus: false,
            Root(("spec", new JsonObject
            {
                ["type"] = "object",
                ["required"] = new JsonArray("spec"),
                ["properties"] = new JsonObject
                {
                    ["metadata"] = Copy("open"),
                    ["spec"] = Copy("claimSpec"),
                },
            }))),
        Kind("resourceslices", "ResourceSlice", "resourceslice", namespaced: false, hasStatus: false, Copy("resourceSlice")),
    ];

    private static ResourceType Kind(string plural, string kind, string singular, bool namespaced, bool hasStatus, JsonObject schema) => new()
    {
        Group = Group, Version = "v1", Plural = plural, Kind = kind, Singular = singular, Namespaced = namespaced,
        HasStatus = hasStatus, Schema = schema,
    };

    private static JsonObject Root(params (string Name, JsonObject Schema)[] properties)
    {
        var fields = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            fields[name] = schema;
        }

        return new JsonObject { ["type"] = "object", ["properties"] = fields };
    }

    private static JsonObject Copy(string name) => Schemas.Value[name]!.DeepClone().AsObject();

    private static JsonObject LoadSchemas()
    {
        using var stream = typeof(DynamicResourceKinds).Assembly.GetManifestResourceStream("TensorFusion.LocalCluster.Resources.DynamicResourceSchemas.yaml")
            ?? throw new InvalidOperationException("the embedded resource DynamicResourceSchemas.yaml is missing from TensorFusion.LocalCluster");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return RequestBody.ParseYaml(memory.ToArray())!.AsObject();
    }
}
