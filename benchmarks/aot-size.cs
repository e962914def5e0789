// What takes the space in a NativeAOT binary, read from the ".mstat" file that ILCompiler writes with
// -p:IlcGenerateMstatFile=true (obj/<Configuration>/<tfm>/<rid>/native/<App>.mstat).
//
//   dotnet run benchmarks/aot-size.cs -- <app.mstat>                  bytes by assembly and namespace
//   dotnet run benchmarks/aot-size.cs -- <app.mstat> <baseline.mstat> what the app has over the baseline
//   options: --top N (rows per table, default 25), --namespace PREFIX (types of those namespaces only)
//
// An .mstat file is a small IL assembly: its global type has one method per kind of node ("Types",
// "Methods", "Blobs", "FrozenObjects", "RvaFields", ...), whose IL is a list of records, each an
// ldtoken (a type, a method or a field, as references into the assemblies compiled) or an ldstr (a
// blob's name) followed by ldc.i4 numbers, the first being the node's size in bytes (for methods:
// code, then GC info, then EH info). Code is charged to the type that declares the method; a generic
// instantiation is charged to its generic definition. The sums count what ILCompiler emits, before
// linking: the file also holds headers, relocations and unwind tables and loses what the linker
// folds, so read the numbers as shares of the binary, not as its exact bytes.
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

var files = args.Where(static a => a.EndsWith(".mstat", StringComparison.Ordinal)).ToArray();
if (files.Length is < 1 or > 2)
{
    Console.Error.WriteLine("usage: dotnet run benchmarks/aot-size.cs -- <app.mstat> [<baseline.mstat>] [--top N] [--namespace PREFIX]");
    return 2;
}

var top = int.Parse(Option("--top") ?? "25", CultureInfo.InvariantCulture);
var namespaceFilter = Option("--namespace");
var app = Mstat.Read(files[0]);
var baseline = files.Length == 2 ? Mstat.Read(files[1]) : null;

Console.WriteLine($"{Path.GetFileName(files[0])}: {Kb(app.Sum(static e => e.Bytes))} in {app.Count:N0} nodes");
if (baseline is not null)
{
    Console.WriteLine($"{Path.GetFileName(files[1])}: {Kb(baseline.Sum(static e => e.Bytes))} in {baseline.Count:N0} nodes");
}

Console.WriteLine();
Report("kind", static e => e.Kind);
Report("assembly", static e => e.Assembly);
Report("namespace", static e => e.Assembly + " " + e.Namespace);
if (namespaceFilter is not null)
{
    Report("type in " + namespaceFilter + "*", static e => e.Namespace + "." + e.Type, e => e.Namespace.StartsWith(namespaceFilter, StringComparison.Ordinal));
}

return 0;

// One table: bytes per key in the app, and with a baseline, the baseline's bytes and the difference
// (largest difference first); without one, largest first.
void Report(string title, Func<Entry, string> key, Func<Entry, bool>? filter = null)
{
    filter ??= static _ => true;
    var mine = Totals(app, key, filter);
    var theirs = baseline is null ? null : Totals(baseline, key, filter);
    var rows = mine.Keys.Union(theirs?.Keys ?? Enumerable.Empty<string>())
        .Select(k => (Key: k, App: mine.GetValueOrDefault(k), Base: theirs?.GetValueOrDefault(k) ?? 0))
        .OrderByDescending(r => theirs is null ? r.App : r.App - r.Base)
        .ToList();
    Console.WriteLine(theirs is null ? $"| {title} | bytes |" : $"| {title} | app | baseline | app − baseline |");
    Console.WriteLine(theirs is null ? "|---|---:|" : "|---|---:|---:|---:|");
    foreach (var (k, a, b) in rows.Take(top))
    {
        Console.WriteLine(theirs is null ? $"| {k} | {Kb(a)} |" : $"| {k} | {Kb(a)} | {Kb(b)} | {Kb(a - b)} |");
    }

    var rest = rows.Skip(top).ToList();
    if (rest.Count > 0)
    {
        var (a, b) = (rest.Sum(static r => r.App), rest.Sum(static r => r.Base));
        Console.WriteLine(theirs is null ? $"| ({rest.Count} more) | {Kb(a)} |" : $"| ({rest.Count} more) | {Kb(a)} | {Kb(b)} | {Kb(a - b)} |");
    }

    Console.WriteLine();
}

static Dictionary<string, long> Totals(List<Entry> entries, Func<Entry, string> key, Func<Entry, bool> filter) =>
    entries.Where(filter).GroupBy(key).ToDictionary(static g => g.Key, static g => g.Sum(static e => e.Bytes));

static string Kb(long bytes) => (bytes / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KB";

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

/// <summary>One node of the binary: its kind, the assembly, namespace and type it is charged to, its size.</summary>
internal sealed record Entry(string Kind, string Assembly, string Namespace, string Type, long Bytes);

/// <summary>Where a type comes from: assembly, namespace and name (nested types as Outer+Inner).</summary>
internal sealed record TypeName(string Assembly, string Namespace, string Name);

internal static class Mstat
{
    public static List<Entry> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        var names = new TypeNames(md);
        var entries = new List<Entry>();
        var global = md.GetTypeDefinition(MetadataTokens.TypeDefinitionHandle(1));
        foreach (var handle in global.GetMethods())
        {
            var method = md.GetMethodDefinition(handle);
            var kind = md.GetString(method.Name);
            if (kind == "DeduplicatedMethods")
            {
                continue; // folded into an identical body that is counted already: they take no space
            }

            foreach (var (token, text, numbers) in Records(md, pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader()))
            {
                if (numbers.Count == 0)
                {
                    continue;
                }

                // Methods: code, GC info and EH info; every other kind: the first number is the size.
                long bytes = kind == "Methods" && numbers.Count >= 3 ? numbers[0] + numbers[1] + numbers[2] : numbers[0];
                var owner = token is { } t ? names.Owner(MetadataTokens.EntityHandle(t)) : new TypeName("(blobs)", text ?? "?", "");
                entries.Add(new Entry(kind, owner.Assembly, owner.Namespace, owner.Name, bytes));
            }
        }

        return entries;
    }

    /// <summary>The records of one method body: an ldtoken or ldstr, then the ldc.i4 numbers after it.</summary>
    private static IEnumerable<(int? Token, string? Text, List<long> Numbers)> Records(MetadataReader md, BlobReader il)
    {
        (int? Token, string? Text, List<long> Numbers)? current = null;
        while (il.RemainingBytes > 0)
        {
            var op = il.ReadByte();
            switch (op)
            {
                case 0xD0: // ldtoken
                case 0x72: // ldstr: a blob's name
                    if (current is { } done)
                    {
                        yield return done;
                    }

                    var operand = il.ReadInt32();
                    current = op == 0xD0
                        ? (operand, null, new List<long>())
                        : (null, md.GetUserString(MetadataTokens.UserStringHandle(operand & 0xFFFFFF)), new List<long>());
                    break;
                case 0x20: // ldc.i4
                    current?.Numbers.Add(il.ReadInt32());
                    break;
                case 0x1F: // ldc.i4.s
                    current?.Numbers.Add(il.ReadSByte());
                    break;
                case >= 0x15 and <= 0x1E: // ldc.i4.m1 .. ldc.i4.8
                    current?.Numbers.Add(op - 0x16);
                    break;
                default: // nop, pop, ret: no operand
                    break;
            }
        }

        if (current is { } last)
        {
            yield return last;
        }
    }
}

/// <summary>Resolves the references of an .mstat file to the type that owns them.</summary>
internal sealed class TypeNames(MetadataReader md) : ISignatureTypeProvider<TypeName, object?>
{
    private static readonly TypeName s_unknown = new("(other)", "", "?");

    public TypeName Owner(EntityHandle handle) => handle.Kind switch
    {
        HandleKind.TypeReference => GetTypeFromReference(md, (TypeReferenceHandle)handle, 0),
        HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null),
        HandleKind.MemberReference => Parent(md.GetMemberReference((MemberReferenceHandle)handle).Parent),
        HandleKind.MethodSpecification => Owner(md.GetMethodSpecification((MethodSpecificationHandle)handle).Method),
        _ => s_unknown,
    };

    private TypeName Parent(EntityHandle parent) => parent.Kind is HandleKind.TypeReference or HandleKind.TypeSpecification ? Owner(parent) : s_unknown;

    public TypeName GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var type = reader.GetTypeReference(handle);
        var name = reader.GetString(type.Name);
        return type.ResolutionScope.Kind switch
        {
            HandleKind.AssemblyReference => new TypeName(reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name), reader.GetString(type.Namespace), name),
            HandleKind.TypeReference => GetTypeFromReference(reader, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind) is var outer ? outer with { Name = outer.Name + "+" + name } : s_unknown,
            _ => new TypeName("(other)", reader.GetString(type.Namespace), name),
        };
    }

    public TypeName GetGenericInstantiation(TypeName genericType, ImmutableArray<TypeName> typeArguments) => genericType;

    public TypeName GetArrayType(TypeName elementType, ArrayShape shape) => elementType;

    public TypeName GetSZArrayType(TypeName elementType) => elementType;

    public TypeName GetByReferenceType(TypeName elementType) => elementType;

    public TypeName GetPointerType(TypeName elementType) => elementType;

    public TypeName GetPinnedType(TypeName elementType) => elementType;

    public TypeName GetModifiedType(TypeName modifier, TypeName unmodifiedType, bool isRequired) => unmodifiedType;

    public TypeName GetPrimitiveType(PrimitiveTypeCode typeCode) => new("System.Private.CoreLib", "System", typeCode.ToString());

    public TypeName GetFunctionPointerType(MethodSignature<TypeName> signature) => s_unknown;

    public TypeName GetGenericMethodParameter(object? genericContext, int index) => s_unknown;

    public TypeName GetGenericTypeParameter(object? genericContext, int index) => s_unknown;

    public TypeName GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => s_unknown;

    public TypeName GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
}
