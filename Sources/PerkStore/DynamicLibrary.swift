#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A C library loaded at run time (`dlopen`), so that building Perk needs nothing but Swift and a
/// store's library is needed only when that store is used: SQLite's and libpq's loaders share it.
struct DynamicLibrary {
  private let handle: UnsafeMutableRawPointer

  /// The library file `name` (a soname such as `libpq.so.5`, or a path); nil when it cannot be loaded.
  init?(_ name: String) {
    guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { return nil }
    self.handle = handle
  }

  /// The C function `name` as the Swift function type `type`; nil when the library lacks it.
  func symbol<T>(_ name: String, _ type: T.Type) -> T? {
    dlsym(handle, name).map { unsafeBitCast($0, to: type) }
  }
}
