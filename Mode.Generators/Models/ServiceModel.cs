using Mode.Generators.Helpers;

namespace Mode.Generators.Models;

/// <summary>Everything one generated file needs: a service class and its wired members.</summary>
/// <param name="Type">The service class.</param>
/// <param name="Members">The wired members, in registration order: by <see cref="MemberKind"/>; dependencies
/// in declaration order, background work in ordinal order of its methods.</param>
internal sealed record ServiceModel(TypeHierarchy Type, EquatableArray<MemberModel> Members);
