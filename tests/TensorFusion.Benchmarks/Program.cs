using TensorFusion.Benchmarks.Scenarios;

return await ScenarioRunner.RunAsync(args, Console.Out, Console.Error);
