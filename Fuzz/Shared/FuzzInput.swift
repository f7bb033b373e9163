// How a fuzz input is split into its control line and its body (see docs/fuzzing.md).

/// An input of the history and JSON targets: a first line of `;`-separated control fields
/// (format, mapping, program, …) and the bytes after it, which are the file under test.
/// Any bytes are a valid input: missing fields are empty.
struct FuzzInput {
  var fields: [Substring]
  var body: [UInt8]

  init(_ data: UnsafePointer<UInt8>, _ size: Int) {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let end = bytes.firstIndex(of: 10) ?? size
    let control = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
    fields = control.split(separator: ";", omittingEmptySubsequences: false)
    body = end < size ? Array(bytes[(end + 1)...]) : []
  }

  /// The control field at `index`, or empty.
  func field(_ index: Int) -> Substring { index < fields.count ? fields[index] : "" }
}
