using System.Text.Json.Nodes;
using TensorFusion.LocalCluster.Disruption;

namespace TensorFusion.LocalCluster.Tests.Disruption;

public sealed class DisruptionBudgetsTests
{
    [Theory]
    [InlineData("""{"minAvailable":2}""", 5, 2)]
    [InlineData("""{"minAvailable":"50%"}""", 3, 2)] // 50 % of 3 = 1.5, rounded up: 2
    [InlineData("""{"maxUnavailable":1}""", 4, 3)]
    [InlineData("""{"maxUnavailable":"30%"}""", 4, 2)] // 30 % of 4 = 1.2, rounded up: 2 may be unavailable, 2 must stay
    [InlineData("""{"minAvailable":7}""", 3, 3)] // never more than there are pods
    [InlineData("""{}""", 3, 3)]
    public void DesiredHealthy_IntOrPercent_AsTheRealController(string spec, int expected, int desired) =>
        Assert.Equal(desired, DisruptionBudgets.DesiredHealthy(JsonNode.Parse(spec)!.AsObject(), expected));

    [Fact]
    public void Validate_BothMinAndMaxSet_ProblemNamesTheSpec()
    {
        var budget = JsonNode.Parse("""{"metadata":{"name":"b"},"spec":{"minAvailable":1,"maxUnavailable":"10%","selector":{}}}""")!.AsObject();

        var problem = Assert.Single(DisruptionBudgets.Validate(budget));

        Assert.Equal("spec", problem.Field);
        Assert.Contains("cannot be both set", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"150%\"")]
    [InlineData("-1")]
    [InlineData("\"half\"")]
    public void Validate_MalformedMinAvailable_ProblemNamesTheField(string value)
    {
        var budget = JsonNode.Parse($$$"""{"metadata":{"name":"b"},"spec":{"minAvailable":{{{value}}}}}""")!.AsObject();

        Assert.Equal("spec.minAvailable", Assert.Single(DisruptionBudgets.Validate(budget)).Field);
    }

    [Fact]
    public void ComputeStatus_TwoReadyOneUnreadyOneDisrupted_CountsOnlyHealthyUndisrupted()
    {
        var now = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var budget = JsonNode.Parse("""
            {"metadata":{"name":"b","generation":3},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"w"}}},
             "status":{"disruptedPods":{"w-2":"2025-12-31T23:59:30Z","gone":"2025-12-31T23:59:30Z"}}}
            """)!.AsObject();
        JsonObject[] pods = [Pod("w-0", ready: true), Pod("w-1", ready: false), Pod("w-2", ready: true), Pod("w-3", ready: true), Pod("other", ready: true, app: "x")];

        var status = DisruptionBudgets.ComputeStatus(budget, pods, now);

        // Covered: w-0..w-3 (4 expected); healthy: w-0, w-3 (w-1 unready, w-2 just evicted); 2 healthy − 1 desired = 1 allowed.
        Assert.Equal((4, 2, 1, 1, 3), ((int)status["expectedPods"]!, (int)status["currentHealthy"]!, (int)status["desiredHealthy"]!, (int)status["disruptionsAllowed"]!, (int)(long)status["observedGeneration"]!));
        Assert.Equal(["w-2"], status["disruptedPods"]!.AsObject().Select(pair => pair.Key));
        Assert.Equal("True", status["conditions"]![0]!["status"]!.ToString());
    }

    private static JsonObject Pod(string name, bool ready, string app = "w") => JsonNode.Parse($$$"""
        {"metadata":{"name":"{{{name}}}","namespace":"default","labels":{"app":"{{{app}}}"}},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"{{{(ready ? "True" : "False")}}}"}]}}
        """)!.AsObject();
}
