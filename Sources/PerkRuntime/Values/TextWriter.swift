/// Texts the till writes on every event (explanations, near misses, till facts), assembled
/// byte by byte into one string of their exact length.
///
/// Why: string interpolation appends each piece to a growing string and turns each number into
/// a string of its own first; an explanation of five pieces cost about 3,800 instructions, and a
/// till event writes a dozen texts. ``assemble(_:)`` runs its body twice: once counting the
/// bytes, once writing them into a string made at that size (a small string, up to 15 bytes,
/// allocates nothing). The body must therefore write the same pieces both times.
struct TextWriter {
  /// Where the bytes go; nil while counting.
  private let buffer: UnsafeMutableBufferPointer<UInt8>?
  /// Bytes counted or written so far.
  private(set) var count = 0

  private init(buffer: UnsafeMutableBufferPointer<UInt8>?) {
    self.buffer = buffer
  }

  /// The text `body` writes.
  static func assemble(_ body: (inout TextWriter) -> Void) -> String {
    var counter = TextWriter(buffer: nil)
    body(&counter)
    let length = counter.count
    return String(unsafeUninitializedCapacity: length) { bytes in
      var writer = TextWriter(buffer: bytes)
      body(&writer)
      // A body that wrote other pieces the second time would have written out of bounds.
      precondition(writer.count == length, "a text's pieces changed between counting and writing")
      return length
    }
  }

  /// Appends a string's UTF-8 bytes.
  mutating func write(_ text: String) {
    guard let buffer else {
      count += text.utf8.count
      return
    }
    var text = text
    text.withUTF8 { bytes in
      precondition(count + bytes.count <= buffer.count, "a text outgrew its counted length")
      guard let source = bytes.baseAddress else { return }
      UnsafeMutableRawPointer(buffer.baseAddress! + count).copyMemory(from: source, byteCount: bytes.count)
      count += bytes.count
    }
  }

  /// Appends a number in decimal, as `"\(value)"` writes it (`-` before a negative one).
  mutating func write(_ value: Int64) {
    var digits = 1
    var rest = value.magnitude / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    let length = digits + (value < 0 ? 1 : 0)
    guard let buffer else {
      count += length
      return
    }
    precondition(count + length <= buffer.count, "a text outgrew its counted length")
    if value < 0 { buffer[count] = 45 }
    var magnitude = value.magnitude
    var position = count + length
    for _ in 0..<digits {
      position -= 1
      buffer[position] = 48 + UInt8(magnitude % 10)
      magnitude /= 10
    }
    count += length
  }

  /// Appends a number in decimal (see ``write(_:)-(Int64)``).
  mutating func write(_ value: Int) {
    write(Int64(value))
  }
}
