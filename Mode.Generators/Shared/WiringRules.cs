using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Mode.Shared;

/// <summary>
/// What the Mode generator can wire, written once: this file is compiled into both Mode.Generators
/// (which skips what these rules reject) and Mode.Analyzers (linked, which reports it), so a skip
/// and its diagnostic cannot drift apart. It depends on Roslyn symbols only, never on the generator's
/// models or the analyzers' descriptors.
/// </summary>
internal static class WiringRules
{
    /// <summary>The runtime's namespace.</summary>
    public const string ModeNamespace = "Mode";

    /// <summary>The virtual method the generator overrides.</summary>
    public const string ConfigureWiring = "ConfigureWiring";

    /// <summary>The tool name in the <c>[GeneratedCode]</c> attribute of the generated override.</summary>
    public const string GeneratorName = "Mode.Generators";

    /// <summary>What a background method (<c>[Task]</c>, <c>[Timer]</c>, <c>[Crontab]</c>) returns.</summary>
    public enum BackgroundReturn
    {
        Void,
        Task,
        ValueTask,
    }

    /// <summary>
    /// Checks the shape of a background method: an ordinary, non-generic instance method with no
    /// parameter or one <c>CancellationToken</c> (by value), returning <c>Task</c>, <c>ValueTask</c> or
    /// (when <paramref name="allowVoid"/>: <c>[Timer]</c>, <c>[Crontab]</c>) <c>void</c>.
    /// </summary>
    /// <param name="method">The annotated method.</param>
    /// <param name="allowVoid">Whether <c>void</c> is supported (not for <c>[Task]</c>).</param>
    /// <param name="returns">What it returns, when supported.</param>
    /// <param name="takesToken">Whether it takes the <c>CancellationToken</c>, when supported.</param>
    /// <param name="problems">When not null, receives one phrase per problem ("it is static").</param>
    /// <returns>Whether the generator can wire it.</returns>
    public static bool IsWirableBackgroundMethod(IMethodSymbol method, bool allowVoid, out BackgroundReturn returns, out bool takesToken, List<string>? problems = null)
    {
        var ok = true;
        returns = default;
        takesToken = false;
        void Problem(string text)
        {
            ok = false;
            problems?.Add(text);
        }

        if (method.MethodKind != MethodKind.Ordinary)
        {
            Problem("it is " + DescribeKind(method.MethodKind) + ", not an ordinary method");
        }

        if (method.IsStatic)
        {
            Problem("it is static");
        }

        if (method.IsGenericMethod)
        {
            Problem("it is generic");
        }

        if (method.ReturnsVoid && allowVoid)
        {
            returns = BackgroundReturn.Void;
        }
        else if (!method.ReturnsByRef && !method.ReturnsByRefReadonly && IsType(method.ReturnType, "Task", "System", "Threading", "Tasks"))
        {
            returns = BackgroundReturn.Task;
        }
        else if (!method.ReturnsByRef && !method.ReturnsByRefReadonly && IsType(method.ReturnType, "ValueTask", "System", "Threading", "Tasks"))
        {
            returns = BackgroundReturn.ValueTask;
        }
        else
        {
            Problem("it returns '" + method.ReturnType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "'");
        }

        var parameters = method.Parameters;
        if (parameters.Length == 1 &&
            parameters[0].RefKind == RefKind.None &&
            !parameters[0].IsParams &&
            IsType(parameters[0].Type, "CancellationToken", "System", "Threading"))
        {
            takesToken = true;
        }
        else if (parameters.Length > 0)
        {
            Problem("it takes (" + string.Join(", ", parameters.Select(static p => p.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")");
        }

        return ok;
    }

    /// <summary>
    /// Why a <c>[DependsOn]</c> member cannot be read per instance ("static", "write-only", "an
    /// indexer", "an explicit interface implementation"), or <see langword="null"/> when it can.
    /// Whether its type is an <c>IService</c> is a separate rule (<see cref="IsServiceInterfaceType"/>).
    /// </summary>
    public static string? DependencyMemberProblem(ISymbol member) => member switch
    {
        { IsStatic: true } => "static",
        IPropertySymbol { IsIndexer: true } => "an indexer",
        IPropertySymbol { GetMethod: null } => "write-only",
        IPropertySymbol { ExplicitInterfaceImplementations.Length: > 0 } => "an explicit interface implementation",
        IFieldSymbol or IPropertySymbol => null,
        _ => "not a field or property",
    };

    /// <summary>Whether a value of <paramref name="type"/> is always an <c>IService</c> (an error type is not).</summary>
    public static bool IsServiceInterfaceType(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Error)
        {
            return false;
        }

        if (IsType(type, "IService", ModeNamespace))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (IsType(implemented, "IService", ModeNamespace))
            {
                return true;
            }
        }

        if (type is ITypeParameterSymbol typeParameter)
        {
            foreach (var constraint in typeParameter.ConstraintTypes)
            {
                if (IsServiceInterfaceType(constraint))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> derives (directly or not) from <c>Mode.Service</c>.</summary>
    public static bool DerivesFromService(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (IsType(current, "Service", ModeNamespace))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The first type of the chain (<paramref name="type"/>, then its containing types) declared
    /// <c>file</c>, or <see langword="null"/>. Generated code lives in its own file, so it cannot add a
    /// part to a file-local type.
    /// </summary>
    public static INamedTypeSymbol? FileLocalType(INamedTypeSymbol type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="type"/> declares a member named <c>ConfigureWiring</c> itself (a
    /// hand-written override wins). The override this generator wrote (seen by analyzers, which run
    /// on the compilation with the generated files) does not count.
    /// </summary>
    public static bool DeclaresConfigureWiring(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers(ConfigureWiring))
        {
            if (!IsGeneratedWiring(member))
            {
                return true;
            }
        }

        return !type.GetTypeMembers(ConfigureWiring).IsEmpty;
    }

    private static bool IsGeneratedWiring(ISymbol member)
    {
        foreach (var attribute in member.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "GeneratedCodeAttribute" } &&
                attribute.ConstructorArguments.Length == 2 &&
                attribute.ConstructorArguments[0].Value as string == GeneratorName)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The nearest inherited <c>ConfigureWiring(ServiceWiring)</c> when it cannot be overridden (sealed
    /// or not virtual), or <see langword="null"/> when it can (or there is none: not a service).
    /// </summary>
    public static IMethodSymbol? SealedConfigureWiring(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(ConfigureWiring))
            {
                if (member is IMethodSymbol { Parameters.Length: 1 } method &&
                    IsType(method.Parameters[0].Type, "ServiceWiring", ModeNamespace))
                {
                    return (method.IsVirtual || method.IsOverride || method.IsAbstract) && !method.IsSealed ? null : method;
                }
            }
        }

        return null;
    }

    /// <summary>Whether every declaration of <paramref name="type"/> in source carries <c>partial</c> (false for a type with no source).</summary>
    public static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var references = type.DeclaringSyntaxReferences;
        if (references.IsEmpty)
        {
            return false;
        }

        foreach (var reference in references)
        {
            if (reference.GetSyntax(cancellationToken) is not TypeDeclarationSyntax declaration ||
                !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="type"/> is the non-generic, top-level type <c>ns.name</c>.</summary>
    public static bool IsType(ITypeSymbol type, string name, params string[] ns)
    {
        if (type is not INamedTypeSymbol { Arity: 0, ContainingType: null } named || named.Name != name)
        {
            return false;
        }

        var current = named.ContainingNamespace;
        for (var i = ns.Length - 1; i >= 0; i--)
        {
            if (current is null || current.IsGlobalNamespace || current.Name != ns[i])
            {
                return false;
            }

            current = current.ContainingNamespace;
        }

        return current is { IsGlobalNamespace: true };
    }

    private static string DescribeKind(MethodKind kind) => kind switch
    {
        MethodKind.PropertyGet or MethodKind.PropertySet => "a property accessor",
        MethodKind.EventAdd or MethodKind.EventRemove => "an event accessor",
        MethodKind.UserDefinedOperator or MethodKind.Conversion => "an operator",
        MethodKind.ExplicitInterfaceImplementation => "an explicit interface implementation",
        MethodKind.LocalFunction => "a local function",
        MethodKind.AnonymousFunction => "a lambda",
        _ => "a special method",
    };
}
