// Soak/stress scenarios of the runtime. Usage:
//   dotnet run -c Release --project tests/Mode.Soak            (short: about 10-20 s; .ci/soak)
//   dotnet run -c Release --project tests/Mode.Soak -- --long  (every count x20)
//   ... -- --scale N                                           (every count xN)
// Each scenario asserts its own outcome; the process exits 1 if any failed.
using System.Diagnostics;
using Mode;
using Mode.Soak;

var scale = 1;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--long":
            scale = 20;
            break;
        case "--scale" when i + 1 < args.Length && int.TryParse(args[i + 1], out var s) && s > 0:
            scale = s;
            i++;
            break;
        default:
            Console.Error.Write($"usage: Mode.Soak [--long | --scale N]\nunknown argument: {args[i]}\n");
            return 2;
    }
}

var passed = 0;
var failed = 0;

void Report(bool ok, string what)
{
    if (ok)
    {
        passed++;
    }
    else
    {
        failed++;
    }

    Console.Write($"{(ok ? "ok" : "not ok")} - {what}\n");
}

async Task Scenario(string name, Func<Task<(bool Ok, string Detail)>> body)
{
    var watch = Stopwatch.StartNew();
    try
    {
        var (ok, detail) = await body();
        Report(ok, $"{name}: {detail} ({watch.Elapsed.TotalSeconds:0.0} s)");
    }
    catch (Exception ex)
    {
        Report(false, $"{name}: threw {ex.GetType().Name}: {ex.Message}");
    }
}

await Scenario("start/stop churn", () => Scenarios.ChurnAsync(300 * scale, restart: false));
await Scenario("restart churn", () => Scenarios.ChurnAsync(300 * scale, restart: true));
await Scenario("supervised crash storm", () => Scenarios.CrashStormAsync(TimeSpan.FromSeconds(2 * scale)));
await Scenario("stuck work", Scenarios.StuckWorkAsync);
await Scenario("FromAwaitable of a task that never completes", Scenarios.NeverCompletingAwaitableAsync);
await Scenario("stop/restart race", () => Scenarios.StopRestartRaceAsync(100 * scale));
await Scenario("StopAsync from 100 threads", () => Scenarios.ConcurrentStopAsync(20 * scale));

Console.Write($"soak: {passed} passed, {failed} failed\n");
return failed == 0 ? 0 : 1;
