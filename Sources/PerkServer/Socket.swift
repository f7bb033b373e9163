import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The POSIX socket calls the server makes, with deadlines: one connected or listening descriptor.
struct Socket {
  let descriptor: Int32

  /// Binds and listens on `host:port` (IPv4; port 0 picks a free one).
  static func listen(host: String, port: Int) throws(ServerError) -> Socket {
    #if canImport(Glibc)
      let kind = Int32(SOCK_STREAM.rawValue)
    #else
      let kind = SOCK_STREAM
    #endif
    let descriptor = socket(AF_INET, kind, 0)
    guard descriptor >= 0 else { throw ServerError.system("cannot make a socket", errno) }
    var yes: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
      Glibc.close(descriptor)
      throw ServerError(message: "`\(host)` is not an IPv4 address such as 127.0.0.1")
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
      let code = errno
      Glibc.close(descriptor)
      throw ServerError.system("cannot listen on \(host):\(port)", code)
    }
    guard Glibc.listen(descriptor, 512) == 0 else {
      let code = errno
      Glibc.close(descriptor)
      throw ServerError.system("cannot listen on \(host):\(port)", code)
    }
    return Socket(descriptor: descriptor)
  }

  /// The port the socket is bound to.
  var port: Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// Waits until `descriptor` is readable or `wake` is (when given); false on timeout.
  /// Returns which became readable.
  static func wait(for descriptor: Int32, or wake: Int32?, milliseconds: Int) -> (ready: Bool, woken: Bool) {
    var fds = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)]
    if let wake { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
    while true {
      let result = poll(&fds, nfds_t(fds.count), Int32(clamping: max(0, milliseconds)))
      if result < 0 && errno == EINTR { continue }
      if result <= 0 { return (false, false) }
      return (fds[0].revents != 0, fds.count > 1 && fds[1].revents != 0)
    }
  }

  /// Reads what has arrived (at most `capacity` bytes); empty at end of stream, nil on an error.
  func receive(capacity: Int) -> [UInt8]? {
    var chunk = [UInt8](repeating: 0, count: capacity)
    while true {
      let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, capacity, 0) }
      if count < 0 && errno == EINTR { continue }
      guard count >= 0 else { return nil }
      return Array(chunk[0..<count])
    }
  }

  /// Writes all of `bytes`; false when the peer has gone or the send timeout passed.
  func send(_ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes {
        Glibc.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
      }
      if written < 0 && errno == EINTR { continue }
      guard written > 0 else { return false }
      offset += written
    }
    return true
  }

  /// Bounds each blocking send, so a client that stops reading cannot hold a thread.
  func setSendTimeout(milliseconds: Int) {
    var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
    setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
  }

  /// Turns off Nagle's delay: responses are written whole, and a delayed last segment would add 40 ms.
  func setNoDelay() {
    var yes: Int32 = 1
    setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
  }

  func close() { _ = Glibc.close(descriptor) }
}

/// A server that cannot start: its address is taken, or not an address.
public struct ServerError: Error, CustomStringConvertible {
  /// What went wrong.
  public var message: String
  /// The message.
  public var description: String { message }

  static func system(_ what: String, _ code: Int32) -> ServerError {
    ServerError(message: "\(what): \(String(cString: strerror(code)))")
  }
}
