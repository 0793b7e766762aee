using TensorFusion.Gpu.Devices;
using TensorFusion.Host.Local;

namespace TensorFusion.Host.Tests.Local;

public sealed class SimulatedFaultTests
{
    [Theory]
    [InlineData("xid-79", DeviceHealth.XidCritical, 79)]
    [InlineData(" XID-48 ", DeviceHealth.XidCritical, 48)]
    [InlineData("lost", DeviceHealth.Lost, 0)]
    [InlineData("reset-required", DeviceHealth.Lost, 0)]
    [InlineData("none", DeviceHealth.Healthy, 0)]
    [InlineData(null, DeviceHealth.Healthy, 0)]
    public void TryParse_KnownValue_TheMatchingFault(string? value, DeviceHealth health, int xid)
    {
        Assert.True(SimulatedFault.TryParse(value, out var fault, out var error));

        Assert.Equal(new SimulatedFault(health, xid), fault);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("xid-0")]
    [InlineData("xid-1000")]
    [InlineData("xid--5")]
    public void TryParse_UnknownValue_FalseWithAMessageNamingTheAnnotation(string value)
    {
        Assert.False(SimulatedFault.TryParse(value, out var fault, out var error));

        Assert.Equal(SimulatedFault.Healthy, fault);
        Assert.Contains($"tensor-fusion.ai/simulate-fault=\"{value}\"", error, StringComparison.Ordinal);
    }
}
