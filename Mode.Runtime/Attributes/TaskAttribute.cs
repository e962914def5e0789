namespace Mode;

/// <summary>
/// Marks a method of a <see cref="Service"/> as a background task (Mode's <c>@Service.task</c>).
/// The task starts after <see cref="Service.OnStartAsync"/> and before the children start, every
/// time the service starts, and is cancelled and awaited when the service stops.
/// </summary>
/// <remarks>
/// Supported signatures: <c>Task M()</c>, <c>Task M(CancellationToken)</c>, <c>ValueTask M()</c>,
/// <c>ValueTask M(CancellationToken)</c>, on instance methods of any accessibility. The containing
/// class must be <c>partial</c>: the Mode source generator wires the method without reflection.
/// An unhandled exception crashes the service (see <see cref="Service.Crash"/>).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TaskAttribute : Attribute
{
    /// <summary>What an unhandled exception does; see <see cref="BackgroundErrorPolicy"/>.</summary>
    public BackgroundErrorPolicy OnError { get; set; }
}
