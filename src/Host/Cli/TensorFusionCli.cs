using System.CommandLine;

namespace TensorFusion.Host.Cli;

/// <summary>Builds the `tensorfusion` command tree. Each verb lives in its own file and is added here.</summary>
public static class TensorFusionCli
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "tensorfusion: a Kubernetes GPU-pooling engine for the tensor-fusion.ai/v1 API.\n" +
            "Runs the operator, the node agent, or everything embedded on one machine (local), " +
            "plus offline what-if verbs.");
        root.Subcommands.Add(LocalCommand.Create());
        root.Subcommands.Add(OperatorCommand.Create());
        root.Subcommands.Add(AgentCommand.Create());
        root.Subcommands.Add(CrdsCommand.Create());
        root.Subcommands.Add(RecommendCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(ExplainCommand.Create());
        return root;
    }
}
