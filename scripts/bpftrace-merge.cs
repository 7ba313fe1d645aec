#:project ../src/Agent/Agent.csproj
// Prints the bpftrace program that runs all the given ones in one process (BpftraceProgramMerge), or why they cannot be
// merged on stderr with exit code 1. Usage: dotnet run scripts/bpftrace-merge.cs -- A.bt B.bt ... > merged.bt
using Tracefleet.Agent.Probes;

var scripts = args.Select(path => new BpftraceScriptText(Path.GetFileName(path), File.ReadAllText(path))).ToList();
if (!BpftraceProgramMerge.TryMerge(scripts, out var program, out var refusal))
{
    Console.Error.WriteLine("bpftrace-merge: " + refusal);
    return 1;
}

Console.Out.Write(program);
return 0;
