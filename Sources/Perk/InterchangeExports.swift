import PerkRuntime

/// A JSON value read with its line and column, numbers kept exact (see ``Program/decodeEvent(_:path:)``).
public typealias JSONNode = PerkRuntime.JSONNode
/// The kinds of JSON value in a ``JSONNode``.
public typealias JSONValue = PerkRuntime.JSONValue
/// A JSON document written with sorted keys, so output is byte-stable.
public typealias JSONOutput = PerkRuntime.JSONOutput
/// Bad input data, with the file, line and column where it is.
public typealias InputError = PerkRuntime.InputError
/// The versions of the outcome and trace-line JSON (`perk.outcome/2`, `perk.trace/2`): docs/interchange.md.
public typealias InterchangeFormat = PerkRuntime.InterchangeFormat
