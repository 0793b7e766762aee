using System.Text.Json.Serialization;

namespace TensorFusion.Api.Gpus;

/// <summary>Who owns a GPU; GPUs claimed by the native device plugin are never allocated by the engine.</summary>
public enum GpuUsedBy
{
    [JsonStringEnumMemberName("tensor-fusion")]
    TensorFusion,

    [JsonStringEnumMemberName("nvidia-device-plugin")]
    NvidiaDevicePlugin,
}
