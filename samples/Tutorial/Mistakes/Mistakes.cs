// One mistake per Mode analyzer rule. This file is compiled only on request:
//
//     dotnet build samples/Tutorial -p:ShowModeDiagnostics=true
//
// and the build then lists MODE001-MODE012 (it fails: most rules are errors). Each rule's page is
// Mode.Analyzers/docs/MODExxx.md. A normal build leaves this folder out.
using Mode;

namespace Tutorial.Mistakes;

// MODE001: App -> Webserver -> App is a dependency cycle.
internal sealed partial class App : Service
{
    [DependsOn] private readonly Webserver _webserver = new();
}

internal sealed partial class Webserver : Service
{
    [DependsOn] private readonly App? _app = null;

    // MODE002: Thread.Sleep blocks a thread in an async hook (code fix: await SleepAsync(...)).
    protected override async ValueTask OnStartAsync(CancellationToken cancellationToken)
    {
        Thread.Sleep(100);
        await Task.Yield();
    }
}

// MODE003: a service with Mode attributes must be partial (code fix: add 'partial').
internal sealed class NotPartial : Service
{
    [Timer(10)] private void Tick() { }
}

// MODE004: the attributes only work in a class deriving from Mode.Service.
internal sealed partial class NotAService
{
    [Task] private Task RunAsync() => Task.CompletedTask;
}

internal sealed partial class Misc : Service
{
    // MODE005: a [Task] must return Task or ValueTask.
    [Task] private void Run() { }

    // MODE006: a timer interval must be greater than zero; hour 24 does not exist.
    [Timer(0)] private void Never() { }
    [Crontab("0 24 * * *")] private void Midnight() { }

    // MODE007: async void (code fix: return Task).
    public async void Refresh() => await Task.Yield();

    // MODE008: a dependency must be an IService.
    [DependsOn] private readonly string _name = "misc";

    // MODE009: a dependency must be an instance member.
    [DependsOn] private static readonly Webserver? s_shared = null;
}

// MODE010: a service that writes its own ConfigureWiring keeps it, so the generator leaves the class
// alone and its [Timer] never ticks.
internal sealed partial class OwnWiring : Service
{
    [Timer(10)] private void Tick() { }

    protected override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
}

// MODE011: the inherited ConfigureWiring is sealed, so the generator cannot override it.
internal abstract class SealedWiringBase : Service
{
    protected sealed override void ConfigureWiring(ServiceWiring wiring) => base.ConfigureWiring(wiring);
}

internal sealed partial class UnderSealedWiring : SealedWiringBase
{
    [Timer(10)] private void Tick() { }
}

// MODE012: a file-local service cannot get the generator's second part (code: make it internal).
file sealed partial class FileLocal : Service
{
    [Timer(10)] private void Tick() { }
}
