// ELU on a 768x256 tensor in bursts of 20 calls with 15 ms sleeps between them, the way a trainer's threads use it,
// for SECONDS seconds; prints the distribution of the per-call time. libtorch reads ATEN_CPU_CAPABILITY at its first
// kernel, so run it once per setting, beside whatever should share the cores:
//
//   dotnet run -c Release --project build/bench/elu-bursts -- 60                              # libtorch's widest kernels
//   ATEN_CPU_CAPABILITY=avx2 dotnet run -c Release --project build/bench/elu-bursts -- 60     # the trainer's choice
using System.Diagnostics;
using System.Globalization;
using Robotics.Training.Tensors;
using TorchSharp;
using static TorchSharp.torch;

int seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
torch.set_num_threads(1);
torch.manual_seed(1);
using var input = torch.randn(768, 256);
using var work = torch.empty(768, 256);
var perCall = new List<double>();
var until = Stopwatch.StartNew();
while (until.Elapsed.TotalSeconds < seconds)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < 20; i++) work.copy_(input).elu_(FixedScalars.One, FixedScalars.One, FixedScalars.One);
    perCall.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / 20);
    Thread.Sleep(15);
}

perCall.Sort();
double At(double q) => perCall[(int)(q * (perCall.Count - 1))];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{KernelChoice.Current() ?? "widest"} kernels: {perCall.Count} bursts, ms per 768x256 ELU: p10 {At(0.1):F3} median {At(0.5):F3} p90 {At(0.9):F3} p99 {At(0.99):F3}; bursts above 1 ms: {100.0 * perCall.Count(t => t > 1.0) / perCall.Count:F0} %"));
