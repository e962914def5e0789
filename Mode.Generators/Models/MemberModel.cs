namespace Mode.Generators.Models;

/// <summary>
/// The kinds of wired member, in the order the generated <c>ConfigureWiring</c> registers them:
/// dependencies first (the children exist before any work is registered), then tasks, timers and
/// cron jobs.
/// </summary>
internal enum MemberKind
{
    Dependency,
    Task,
    Timer,
    Crontab,
}

/// <summary>
/// One wired member of a service class. Every attribute provider yields this one shape (wrapped in a
/// <see cref="ServiceMember"/>), so the pipeline merges them without knowing how many kinds there
/// are; adding an attribute adds a subtype here, a parser case and an emitter case.
/// </summary>
/// <param name="Kind">Which kind of member; orders the registrations.</param>
/// <param name="Name">The registered name.</param>
internal abstract record MemberModel(MemberKind Kind, string Name);

/// <summary>A method run as background work (<c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c>).</summary>
/// <param name="Kind">Which kind of member.</param>
/// <param name="Name">The registered name: the attribute's <c>Name</c>, or <c>Class.Method</c>.</param>
/// <param name="Method">How to call it; members of one kind are registered in the order of their methods.</param>
/// <param name="OnError">The <c>BackgroundErrorPolicy</c> number; 0 (<c>Default</c>) is not emitted.</param>
internal abstract record BackgroundWorkModel(MemberKind Kind, string Name, MethodInvocation Method, int OnError)
    : MemberModel(Kind, Name);

/// <summary>
/// One annotated member together with its (valid) service class: the output of every attribute
/// provider, before the members are grouped by class.
/// </summary>
/// <param name="Type">The service class.</param>
/// <param name="Member">The member.</param>
/// <param name="Order">Where the member is declared: orders dependencies (background work is ordered
/// by method instead and leaves it <see langword="default"/>); dropped after grouping.</param>
internal sealed record ServiceMember(TypeHierarchy Type, MemberModel Member, DeclarationOrder Order);
