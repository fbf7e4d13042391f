// The one module embedders import: it re-exports the value model (`Event`, `JSONValue`,
// `Timestamp`), the syntax types diagnostics are made of, the JSON Lines reader, and the bus.
@_exported import WeirCore
@_exported import WeirIngest
@_exported import struct WeirSyntax.Diagnostic
@_exported import struct WeirSyntax.SourceRange
@_exported import struct WeirSyntax.SourceFile
@_exported import enum WeirSyntax.Dialect
@_exported import struct WeirCompiler.CompileOptions
@_exported import struct WeirCompiler.RegexLimits
@_exported import enum WeirEngine.OverloadPolicy
@_exported import struct WeirEngine.EngineStatistics
@_exported import struct WeirEngine.DeclarationStatistics
@_exported import WeirBus
