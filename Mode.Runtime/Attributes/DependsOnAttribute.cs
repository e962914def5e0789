namespace Mode;

/// <summary>
/// Marks a field or property whose value (an <see cref="IService"/>) is a dependency of the
/// containing service: it is added as a child at the first start, in declaration order and before
/// the services returned by <see cref="Service.OnInitDependencies"/>, so it starts after its parent's
/// <see cref="Service.OnStartAsync"/> and stops before its parent's background tasks are cancelled.
/// </summary>
/// <remarks>A <see langword="null"/> value is skipped. The containing class must be <c>partial</c>.</remarks>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class DependsOnAttribute : Attribute
{
}
