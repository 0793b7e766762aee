using System.Text.Json.Serialization;

namespace TensorFusion.Api.Quotas;

public sealed class GpuResourceQuotaSpec
{
    [JsonPropertyName("total")]
    public QuotaTotal? Total { get; set; }

    [JsonPropertyName("single")]
    public QuotaSingle? SingleWorker { get; set; }
}
