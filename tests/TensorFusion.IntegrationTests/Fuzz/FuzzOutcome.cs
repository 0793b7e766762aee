namespace TensorFusion.IntegrationTests.Fuzz;

/// <summary>What one fuzz campaign did: objects tried, rejected at admission, stored, stored workloads the operator marked.</summary>
internal sealed record FuzzOutcome(int Tried, int Rejected, int Quarantined, int Lost, int Canaries)
{
    public override string ToString() =>
        $"{Tried} objects tried, {Rejected} rejected at admission, {Quarantined} quarantined, {Lost} lost, {Canaries} canaries Running";
}
