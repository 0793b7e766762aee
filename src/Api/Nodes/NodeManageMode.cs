using System.Text.Json.Serialization;

namespace TensorFusion.Api.Nodes;

public enum NodeManageMode
{
    [JsonStringEnumMemberName("Manual")]
    Manual,

    [JsonStringEnumMemberName("AutoSelect")]
    AutoSelect,

    [JsonStringEnumMemberName("Provisioned")]
    Provisioned,
}
