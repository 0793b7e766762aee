namespace TensorFusion.Api;

/// <summary>The API group and version every TensorFusion kind is served under.</summary>
public static class TensorFusionApi
{
    public const string Group = "tensor-fusion.ai";
    public const string Version = "v1";
    public const string ApiVersion = Group + "/" + Version;
}
