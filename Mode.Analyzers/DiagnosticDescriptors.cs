using Microsoft.CodeAnalysis;

namespace Mode.Analyzers;

/// <summary>
/// Every descriptor of the Mode analyzers, one per ID. Each has a help link to its
/// page under <c>Mode.Analyzers/docs/</c>, built from <see cref="HelpLinkBase"/>.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Where the rule pages live; a rule's page is <c>HelpLinkBase + ID + ".md"</c>.</summary>
    public const string HelpLinkBase = "https://github.com/mode-dotnet/mode/blob/main/Mode.Analyzers/docs/";

    public static readonly DiagnosticDescriptor DependencyCycle = Create(
        DiagnosticIds.DependencyCycle,
        title: "Dependency cycle between services",
        messageFormat: "Dependency cycle between services: {0}; a service cannot (transitively) depend on itself, break the cycle by removing one [DependsOn]",
        DiagnosticCategories.Dependencies,
        DiagnosticSeverity.Error,
        description: "The [DependsOn] members of the services form a cycle. Mode adds each [DependsOn] member as a child service, so a cycle makes a service its own ancestor. The graph is built from the declared types of the members, and from the services a service's code creates in OnInitDependencies() or passes to AddDependency(new X()), over the whole compilation and its references.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor BlockingCallInAsyncHook = Create(
        DiagnosticIds.BlockingCallInAsyncHook,
        title: "Blocking call in an async hook",
        messageFormat: "'{0}' blocks a thread in '{1}'{2}; {3}",
        DiagnosticCategories.Async,
        DiagnosticSeverity.Warning,
        description: "Lifecycle hooks (OnStartAsync, OnStopAsync, ...) and [Task], [Timer] and [Crontab] methods run on the service's asynchronous flow. A blocking call there — directly or inside a synchronous helper it calls — holds a thread-pool thread, delays every other service, and can deadlock or make a stop wait for the full timeout. Await the asynchronous form instead.");

    public static readonly DiagnosticDescriptor ServiceNotPartial = Create(
        DiagnosticIds.ServiceNotPartial,
        title: "Service with Mode attributes must be partial",
        messageFormat: "Service '{0}' uses Mode attributes and must be partial so the Mode generator can wire it; add 'partial' to {1}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        description: "The Mode source generator wires [Task], [Timer], [Crontab] and [DependsOn] members by adding a part to the class. The class and every type containing it must be declared partial; otherwise the members are never wired.");

    public static readonly DiagnosticDescriptor NotAService = Create(
        DiagnosticIds.NotAService,
        title: "Type with Mode attributes must derive from Mode.Service",
        messageFormat: "'{0}' has members marked with {1} but does not derive from Mode.Service; derive from Mode.Service or remove the attributes",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        description: "[Task], [Timer], [Crontab] and [DependsOn] only take effect in a class deriving from Mode.Service: the generator wires them by overriding Service.ConfigureWiring. Anywhere else they are silently ignored.");

    public static readonly DiagnosticDescriptor UnsupportedBackgroundMethodSignature = Create(
        DiagnosticIds.UnsupportedBackgroundMethodSignature,
        title: "Unsupported [Task], [Timer] or [Crontab] method signature",
        messageFormat: "[{0}] method '{1}' has an unsupported signature ({2}); supported: {3}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        description: "[Task] methods must be non-generic instance methods returning Task or ValueTask; [Timer] and [Crontab] methods must be non-generic instance methods returning void, Task or ValueTask. All of them take no parameter or a single CancellationToken.");

    public static readonly DiagnosticDescriptor InvalidSchedule = Create(
        DiagnosticIds.InvalidSchedule,
        title: "Invalid timer interval or cron expression",
        messageFormat: "Invalid schedule on '{0}': {1}",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        description: "A [Timer] interval must be a finite number of seconds greater than zero; a [Crontab] expression must be a cron expression Cronos accepts (five fields, or six with IncludeSeconds = true) or a macro, and must fire at least once. The runtime would throw when the service is wired.");

    public static readonly DiagnosticDescriptor AsyncVoidInService = Create(
        DiagnosticIds.AsyncVoidInService,
        title: "Avoid async void methods in a service",
        messageFormat: "{0} is async void: its exceptions bypass the service and crash the process, and nobody can await it; {1}",
        DiagnosticCategories.Async,
        DiagnosticSeverity.Warning,
        description: "An exception escaping an async void method is raised on the thread pool and terminates the process instead of crashing the service (and its supervisor never sees it). Return Task or ValueTask. Event-handler-shaped methods (object sender, EventArgs e) are exempt; an async lambda or anonymous method converted to a void-returning delegate (Action, EventHandler, ...) is reported.");

    public static readonly DiagnosticDescriptor DependencyNotAService = Create(
        DiagnosticIds.DependencyNotAService,
        title: "[DependsOn] member is not a service",
        messageFormat: "[DependsOn] {0} '{1}' has type '{2}', which does not implement Mode.IService",
        DiagnosticCategories.Dependencies,
        DiagnosticSeverity.Error,
        description: "A [DependsOn] member becomes a child service of its containing service, so its type must implement Mode.IService (a Service, a ServiceProxy, a supervisor or an interface deriving from IService).");

    public static readonly DiagnosticDescriptor UnsupportedDependencyMember = Create(
        DiagnosticIds.UnsupportedDependencyMember,
        title: "[DependsOn] member must be a readable instance field or property",
        messageFormat: "[DependsOn] {0} '{1}' is {2}; use an instance field or a readable, non-indexed instance property",
        DiagnosticCategories.Dependencies,
        DiagnosticSeverity.Error,
        description: "The generator reads each [DependsOn] member from the service instance when the service first starts. A static member would make one child shared by every instance (a service has one parent), and a write-only property or an indexer cannot be read.");

    public static readonly DiagnosticDescriptor ServiceDeclaresConfigureWiring = Create(
        DiagnosticIds.ServiceDeclaresConfigureWiring,
        title: "Service with Mode attributes declares its own ConfigureWiring",
        messageFormat: "'{0}' declares ConfigureWiring itself, so the Mode generator does not wire its {1} members; remove the hand-written ConfigureWiring, or remove the attributes and register the members in it",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        description: "The Mode generator wires [Task], [Timer], [Crontab] and [DependsOn] members by generating an override of Service.ConfigureWiring. A class that declares a member named ConfigureWiring itself keeps its own, and the generator leaves the class alone: the attributes do nothing.");

    public static readonly DiagnosticDescriptor ConfigureWiringNotOverridable = Create(
        DiagnosticIds.ConfigureWiringNotOverridable,
        title: "Service with Mode attributes cannot override ConfigureWiring",
        messageFormat: "'{0}' cannot be wired: the ConfigureWiring it inherits from '{1}' is {2}; make it overridable in '{1}' ('protected override void ConfigureWiring' without 'sealed'), or move the Mode attributes to '{1}'",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        description: "The Mode generator wires a class by overriding Service.ConfigureWiring. When a base class seals its override (or hides it with a non-virtual method), the generated override would not compile, so the generator skips the class: the attributes do nothing.");

    public static readonly DiagnosticDescriptor FileLocalService = Create(
        DiagnosticIds.FileLocalService,
        title: "Service with Mode attributes cannot be file-local",
        messageFormat: "'{0}' is file-local{1}, so the Mode generator cannot add its wiring from another file; remove the 'file' modifier (a private nested or an internal class keeps it hidden)",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Error,
        description: "The Mode generator wires a class by adding a partial declaration in a generated file. A file-local type ('file' modifier), or a type nested in one, can only be declared in its own file, so the generator skips it: the attributes do nothing.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags) =>
        new(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description,
            helpLinkUri: HelpLinkBase + id + ".md",
            customTags);
}
