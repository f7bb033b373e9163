// libFuzzer entry point: bytes -> lexer -> parser -> checker (see docs/fuzzing.md).
// Built by scripts/fuzz.sh against the stage modules compiled with coverage instrumentation.
import PerkSource

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCheck(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let file = SourceFile(id: 0, path: "fuzz.perk", bytes: bytes)
  let diagnostics = FuzzTarget.check([file])
  // Rendering must cope with whatever ranges the stages produced.
  _ = DiagnosticRenderer(files: [file], colors: false).render(diagnostics)
  _ = DiagnosticJSON.encode(diagnostics, files: [file])
  return 0
}
