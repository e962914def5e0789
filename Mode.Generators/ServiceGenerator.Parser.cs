using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mode.Generators.Helpers;
using Mode.Generators.Models;
using Mode.Shared;

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
            var includeSeconds = false;
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
                    case KnownTypeNames.IncludeSeconds when argument.Value.Value is bool seconds:
                        includeSeconds = seconds;
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
                new CrontabModel(name ?? DefaultName(method), invocation, expression, timeZone, includeSeconds, ReadOnError(attribute)),
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
            var member = context.TargetSymbol;
            if (WiringRules.DependencyMemberProblem(member) is not null)
            {
                return null;
            }

            var memberType = member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;
            if (!WiringRules.IsServiceInterfaceType(memberType) ||
                GetDeclarationOrder(context.TargetNode, member.ContainingType, cancellationToken) is not { } order ||
                ParseServiceType(member.ContainingType, cancellationToken) is not { } type)
            {
                return null;
            }

            return new ServiceMember(type, new DependencyModel(member.Name, EscapeIdentifier(member.Name), ParseVertex(memberType)), order);
        }

        /// <summary>
        /// The class of a member, if the generator can extend it: a non-static, non-<c>file</c> class
        /// deriving from <c>Mode.Service</c> (else MODE004), partial together with every containing type
        /// (MODE003), that does not declare <c>ConfigureWiring</c> itself (MODE010) and whose inherited
        /// one can be overridden (MODE011), neither it nor a containing type file-local (MODE012).
        /// </summary>
        internal static TypeHierarchy? ParseServiceType(INamedTypeSymbol? type, CancellationToken cancellationToken)
        {
            if (type is null ||
                type.TypeKind != TypeKind.Class ||
                type.IsStatic ||
                type.IsRecord ||
                !WiringRules.DerivesFromService(type) ||
                WiringRules.DeclaresConfigureWiring(type) ||
                WiringRules.SealedConfigureWiring(type) is not null ||
                WiringRules.FileLocalType(type) is not null)
            {
                return null;
            }

            var chain = new List<INamedTypeSymbol>();
            for (var current = type; current is not null; current = current.ContainingType)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!WiringRules.IsPartialEverywhere(current, cancellationToken))
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
                metadataName.ToString(),
                ParseVertex(type));
        }

        private static readonly SymbolDisplayFormat s_vertexName = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

        private static readonly SymbolDisplayFormat s_vertexFullName = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

        /// <summary>
        /// A type as a vertex of the service graph: a generic type by its definition (<c>Box&lt;T&gt;</c>,
        /// so an edge to <c>Box&lt;Db&gt;</c> meets the service <c>Box&lt;T&gt;</c>), a type parameter by its
        /// name, keyed by its owner too (two classes' <c>T</c> are different vertices).
        /// </summary>
        private static GraphVertex ParseVertex(ITypeSymbol type)
        {
            if (type is ITypeParameterSymbol { ContainingSymbol: var owner } parameter)
            {
                var ownerKey = owner.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                return new GraphVertex(ownerKey + "." + parameter.Name, parameter.Name, owner.ToDisplayString(s_vertexFullName) + "." + parameter.Name);
            }

            var definition = type.OriginalDefinition;
            return new GraphVertex(
                definition.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                definition.ToDisplayString(s_vertexName),
                definition.ToDisplayString(s_vertexFullName));
        }

        /// <summary>How to call a background method, or null when <see cref="WiringRules"/> rejects its shape (MODE005).</summary>
        private static MethodInvocation? TryGetInvocation(IMethodSymbol method, bool allowVoid)
        {
            if (!WiringRules.IsWirableBackgroundMethod(method, allowVoid, out var returns, out var takesToken))
            {
                return null;
            }

            var returnKind = returns switch
            {
                WiringRules.BackgroundReturn.Void => ReturnKind.Void,
                WiringRules.BackgroundReturn.Task => ReturnKind.Task,
                _ => ReturnKind.ValueTask,
            };
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

        private static string EscapeIdentifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;
    }
}
