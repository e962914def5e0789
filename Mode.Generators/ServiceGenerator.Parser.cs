using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mode.Generators.Helpers;
using Mode.Generators.Models;

namespace Mode.Generators;

public sealed partial class ServiceGenerator
{
    /// <summary>
    /// Symbols -> models: the only code of the generator that touches <see cref="ISymbol"/>. Every
    /// method returns <see langword="null"/> for input it does not support (the analyzers say why)
    /// and never throws for invalid code.
    /// </summary>
    internal static class Parser
    {
        public static ServiceMember? ParseTask(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method ||
                TryGetInvocation(method, allowVoid: false) is not { } invocation ||
                ParseServiceType(method.ContainingType, cancellationToken) is not { } type)
            {
                return null;
            }

            var onError = context.Attributes.Length == 1 ? ReadOnError(context.Attributes[0]) : 0;
            return new ServiceMember(type, new TaskModel(DefaultName(method), invocation, onError), default);
        }

        public static ServiceMember? ParseTimer(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method ||
                context.Attributes.Length != 1 ||
                TryGetInvocation(method, allowVoid: true) is not { } invocation)
            {
                return null;
            }

            var attribute = context.Attributes[0];
            if (attribute.AttributeConstructor is null ||
                attribute.ConstructorArguments.Length != 1 ||
                ToDouble(attribute.ConstructorArguments[0]) is not { } seconds)
            {
                return null;
            }

            string? name = null;
            var execFirst = false;
            var maxDriftCorrection = KnownTypeNames.DefaultMaxDriftCorrectionSeconds;
            foreach (var argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case KnownTypeNames.Name when argument.Value.Kind == TypedConstantKind.Primitive:
                        name = argument.Value.Value as string;
                        break;
                    case KnownTypeNames.ExecFirst when argument.Value.Value is bool value:
                        execFirst = value;
                        break;
                    case KnownTypeNames.MaxDriftCorrection when ToDouble(argument.Value) is { } value:
                        maxDriftCorrection = value;
                        break;
                    default:
                        // A property this generator version does not know: it does not change the wiring.
                        break;
                }
            }

            if (ParseServiceType(method.ContainingType, cancellationToken) is not { } type)
            {
                return null;
            }

            return new ServiceMember(
                type,
                new TimerModel(name ?? DefaultName(method), invocation, seconds, execFirst, maxDriftCorrection, ReadOnError(attribute)),
                default);
        }

        public static ServiceMember? ParseCrontab(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method ||
                context.Attributes.Length != 1 ||
                TryGetInvocation(method, allowVoid: true) is not { } invocation)
            {
                return null;
            }

            var attribute = context.Attributes[0];
            if (attribute.AttributeConstructor is null ||
                attribute.ConstructorArguments.Length != 1 ||
                attribute.ConstructorArguments[0].Value is not string expression)
            {
                return null;
            }

            string? name = null;
            string? timeZone = null;
            foreach (var argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case KnownTypeNames.Name when argument.Value.Kind == TypedConstantKind.Primitive:
                        name = argument.Value.Value as string;
                        break;
                    case KnownTypeNames.TimeZone when argument.Value.Kind == TypedConstantKind.Primitive:
                        timeZone = argument.Value.Value as string;
                        break;
                    default:
                        // A property this generator version does not know: it does not change the wiring.
                        break;
                }
            }

            if (ParseServiceType(method.ContainingType, cancellationToken) is not { } type)
            {
                return null;
            }

            return new ServiceMember(
                type,
                new CrontabModel(name ?? DefaultName(method), invocation, expression, timeZone, ReadOnError(attribute)),
                default);
        }

        /// <summary>The <c>OnError</c> named argument as the enum's number (0, <c>Default</c>, when absent).</summary>
        private static int ReadOnError(AttributeData attribute)
        {
            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == KnownTypeNames.OnError && argument.Value.Value is int value)
                {
                    return value;
                }
            }

            return 0;
        }

        public static ServiceMember? ParseDependency(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            ITypeSymbol memberType;
            switch (context.TargetSymbol)
            {
                case IFieldSymbol { IsStatic: false, IsConst: false } field:
                    memberType = field.Type;
                    break;
                case IPropertySymbol { IsStatic: false, IsIndexer: false, GetMethod: not null, ExplicitInterfaceImplementations.Length: 0 } property:
                    memberType = property.Type;
                    break;
                default:
                    return null;
            }

            var member = context.TargetSymbol;
            if (!IsServiceInterfaceType(memberType) ||
                GetDeclarationOrder(context.TargetNode, member.ContainingType, cancellationToken) is not { } order ||
                ParseServiceType(member.ContainingType, cancellationToken) is not { } type)
            {
                return null;
            }

            return new ServiceMember(type, new DependencyModel(member.Name, EscapeIdentifier(member.Name)), order);
        }

        /// <summary>
        /// The class of a member, if the generator can extend it: a non-static, non-<c>file</c> class
        /// deriving from <c>Mode.Service</c>, partial together with every containing type, that does
        /// not declare <c>ConfigureWiring</c> itself and whose inherited one can be overridden.
        /// </summary>
        internal static TypeHierarchy? ParseServiceType(INamedTypeSymbol? type, CancellationToken cancellationToken)
        {
            if (type is null ||
                type.TypeKind != TypeKind.Class ||
                type.IsStatic ||
                type.IsRecord ||
                !DerivesFromService(type) ||
                !CanOverrideConfigureWiring(type))
            {
                return null;
            }

            var chain = new List<INamedTypeSymbol>();
            for (var current = type; current is not null; current = current.ContainingType)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (current.IsFileLocal || !IsPartialEverywhere(current, cancellationToken))
                {
                    return null;
                }

                chain.Add(current);
            }

            chain.Reverse();
            var declarations = new TypeDeclarationInfo[chain.Count];
            var metadataName = new StringBuilder();
            var ns = type.ContainingNamespace is { IsGlobalNamespace: false } containingNamespace
                ? containingNamespace
                : null;
            if (ns is not null)
            {
                metadataName.Append(GetNamespace(ns, escape: false)).Append('.');
            }

            for (var i = 0; i < chain.Count; i++)
            {
                var current = chain[i];
                if (GetKeyword(current) is not { } keyword)
                {
                    return null;
                }

                declarations[i] = new TypeDeclarationInfo(keyword, current.IsRefLikeType, EscapeIdentifier(current.Name), GetTypeParameters(current));
                if (i > 0)
                {
                    metadataName.Append('+');
                }

                metadataName.Append(current.MetadataName);
            }

            // global::Namespace.Outer<T>.Inner, as SymbolDisplayFormat.FullyQualifiedFormat writes it.
            var escapedNamespace = ns is null ? null : GetNamespace(ns, escape: true);
            var fullyQualifiedName = new StringBuilder("global::");
            if (escapedNamespace is not null)
            {
                fullyQualifiedName.Append(escapedNamespace).Append('.');
            }

            for (var i = 0; i < declarations.Length; i++)
            {
                fullyQualifiedName.Append(i > 0 ? "." : string.Empty).Append(declarations[i].Name).Append(declarations[i].TypeParameters);
            }

            return new TypeHierarchy(
                escapedNamespace,
                new EquatableArray<TypeDeclarationInfo>(declarations),
                fullyQualifiedName.ToString(),
                metadataName.ToString());
        }

        private static MethodInvocation? TryGetInvocation(IMethodSymbol method, bool allowVoid)
        {
            if (method.MethodKind != MethodKind.Ordinary ||
                method.IsStatic ||
                method.IsGenericMethod ||
                method.ReturnsByRef ||
                method.ReturnsByRefReadonly ||
                method.Parameters.Length > 1)
            {
                return null;
            }

            var takesToken = false;
            if (method.Parameters.Length == 1)
            {
                var parameter = method.Parameters[0];
                if (parameter.RefKind != RefKind.None ||
                    parameter.IsParams ||
                    !IsType(parameter.Type, "CancellationToken", "System", "Threading"))
                {
                    return null;
                }

                takesToken = true;
            }

            ReturnKind returnKind;
            if (method.ReturnsVoid)
            {
                if (!allowVoid)
                {
                    return null;
                }

                returnKind = ReturnKind.Void;
            }
            else if (IsType(method.ReturnType, "Task", "System", "Threading", "Tasks"))
            {
                returnKind = ReturnKind.Task;
            }
            else if (IsType(method.ReturnType, "ValueTask", "System", "Threading", "Tasks"))
            {
                returnKind = ReturnKind.ValueTask;
            }
            else
            {
                return null;
            }

            return new MethodInvocation(EscapeIdentifier(method.Name), returnKind, takesToken);
        }

        private static string DefaultName(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;

        private static double? ToDouble(TypedConstant constant)
        {
            if (constant.Kind != TypedConstantKind.Primitive)
            {
                return null;
            }

            return constant.Value switch
            {
                double value => value,
                float value => value,
                string => null,
                bool => null,
                char => null,
                IConvertible value => value.ToDouble(CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        private static bool DerivesFromService(INamedTypeSymbol type)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (IsType(current, KnownTypeNames.Service, KnownTypeNames.ModeNamespace))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsServiceInterfaceType(ITypeSymbol type)
        {
            if (type.TypeKind == TypeKind.Error)
            {
                return false;
            }

            if (IsType(type, KnownTypeNames.IService, KnownTypeNames.ModeNamespace))
            {
                return true;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                if (IsType(implemented, KnownTypeNames.IService, KnownTypeNames.ModeNamespace))
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

        /// <summary>
        /// Whether generating <c>protected override void ConfigureWiring(ServiceWiring)</c> compiles: the
        /// class declares no member of that name (a hand-written override wins), and the nearest
        /// inherited one is virtual and not sealed.
        /// </summary>
        private static bool CanOverrideConfigureWiring(INamedTypeSymbol type)
        {
            if (!type.GetMembers(KnownTypeNames.ConfigureWiring).IsEmpty ||
                !type.GetTypeMembers(KnownTypeNames.ConfigureWiring).IsEmpty)
            {
                return false;
            }

            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(KnownTypeNames.ConfigureWiring))
                {
                    if (member is IMethodSymbol { Parameters.Length: 1 } method &&
                        IsType(method.Parameters[0].Type, KnownTypeNames.ServiceWiring, KnownTypeNames.ModeNamespace))
                    {
                        return (method.IsVirtual || method.IsOverride || method.IsAbstract) && !method.IsSealed;
                    }
                }
            }

            return false;
        }

        private static bool IsPartialEverywhere(INamedTypeSymbol type, CancellationToken cancellationToken)
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

        /// <summary>
        /// Where a <c>[DependsOn]</c> member is declared, by index: the partial declaration (in the
        /// order the compilation lists them), the member within it, the variable within a field.
        /// </summary>
        private static DeclarationOrder? GetDeclarationOrder(SyntaxNode node, INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            MemberDeclarationSyntax member;
            var variable = 0;
            switch (node)
            {
                case VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: FieldDeclarationSyntax field } declaration } declarator:
                    member = field;
                    variable = declaration.Variables.IndexOf(declarator);
                    break;
                case PropertyDeclarationSyntax property:
                    member = property;
                    break;
                default:
                    return null;
            }

            if (member.Parent is not TypeDeclarationSyntax typeDeclaration)
            {
                return null;
            }

            var references = type.DeclaringSyntaxReferences;
            for (var i = 0; i < references.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (references[i].SyntaxTree == typeDeclaration.SyntaxTree && references[i].Span == typeDeclaration.Span)
                {
                    return new DeclarationOrder(i, typeDeclaration.Members.IndexOf(member), variable);
                }
            }

            return null;
        }

        private static string? GetKeyword(INamedTypeSymbol type) => type.TypeKind switch
        {
            TypeKind.Class => type.IsRecord ? "record" : "class",
            TypeKind.Struct when type.IsRecord => type.IsRefLikeType ? null : "record struct",
            TypeKind.Struct => "struct",
            TypeKind.Interface => "interface",
            _ => null,
        };

        private static string GetTypeParameters(INamedTypeSymbol type)
        {
            if (type.TypeParameters.IsEmpty)
            {
                return string.Empty;
            }

            var builder = new StringBuilder("<");
            for (var i = 0; i < type.TypeParameters.Length; i++)
            {
                var parameter = type.TypeParameters[i];
                if (i > 0)
                {
                    builder.Append(", ");
                }

                // No variance: a class cannot be nested in a variant interface (CS8427).
                builder.Append(EscapeIdentifier(parameter.Name));
            }

            return builder.Append('>').ToString();
        }

        private static string GetNamespace(INamespaceSymbol ns, bool escape)
        {
            var parts = new List<string>();
            for (var current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
            {
                parts.Add(escape ? EscapeIdentifier(current.Name) : current.Name);
            }

            parts.Reverse();
            return string.Join(".", parts);
        }

        /// <summary>Whether <paramref name="type"/> is the non-generic, top-level type <c>ns.name</c>.</summary>
        private static bool IsType(ITypeSymbol type, string name, params string[] ns)
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

        private static string EscapeIdentifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
