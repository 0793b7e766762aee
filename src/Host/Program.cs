using TensorFusion.Host.Cli;

return await TensorFusionCli.Create().Parse(args).InvokeAsync();
