using TlsLab.Cli;

return await TlsLabCli.RunAsync(args, Console.Out, Console.Error);
