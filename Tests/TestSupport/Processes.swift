// What the sandbox tests check about processes on the machine, read from /proc.

import Foundation
import Glibc

/// Live processes of the sandbox users (nobody, and the uid of its own a root server gives each
/// child: 0x40000000 up to 0x80000000) whose parent is not a fork server running as root.
///
/// A confined child's parent is always its server; a grandchild's would be the child, or init
/// once the child is gone. Other tests' children may be running meanwhile, so those are allowed;
/// and a child whose server another test just killed is briefly an orphan until its parent-death
/// signal lands, so only a process that is still stray after two seconds counts.
public func strayProcesses() -> [Int32] {
    lasting {
        processesNow(where: { $0 == 65534 || (0x4000_0000..<0x8000_0000).contains($0) }).filter { pid in
            let parent = parentPID(pid)
            return owner(parent) != 0 || command(parent) != "snippet-server"
        }
    }
}

/// Every live process of `uid` (two seconds of grace, as above): once a run as that user is
/// over, each one is a stray.
public func processes(ownedBy uid: uid_t) -> [Int32] {
    lasting { processesNow(ownedBy: uid) }
}

/// The processes `find` reports now that it still reports after up to two seconds.
private func lasting(_ find: () -> [Int32]) -> [Int32] {
    var found = Set(find())
    for _ in 0..<10 where !found.isEmpty {
        usleep(200_000)
        found.formIntersection(find())
    }
    return found.sorted()
}

private func processesNow(ownedBy uid: uid_t) -> [Int32] {
    processesNow(where: { $0 == uid })
}

private func processesNow(where matches: (uid_t) -> Bool) -> [Int32] {
    guard let dir = opendir("/proc") else { return [] }
    defer { closedir(dir) }
    var pids: [Int32] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        if let pid = Int32(name), let uid = owner(pid), matches(uid) { pids.append(pid) }
    }
    return pids
}

/// The live children of `parent` with their command lines, for tests that kill the servers of
/// a run they started (by pid, and only those).
public func childProcesses(of parent: Int32) -> [(pid: Int32, arguments: [String])] {
    guard let dir = opendir("/proc") else { return [] }
    defer { closedir(dir) }
    var children: [(Int32, [String])] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        guard let pid = Int32(name), parentPID(pid) == parent else { continue }
        children.append((pid, readProc(pid, "cmdline").split(separator: "\0").map(String.init)))
    }
    return children
}

/// The real uid from /proc/PID/status: /proc/PID itself belongs to root once a process is not
/// dumpable, as every confined child is.
private func owner(_ pid: Int32) -> uid_t? {
    let status = readProc(pid, "status")
    guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
          let real = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().first else { return nil }
    return uid_t(real)
}

private func readProc(_ pid: Int32, _ file: String) -> String {
    guard let f = fopen("/proc/\(pid)/\(file)", "r") else { return "" }
    defer { fclose(f) }
    var buffer = [CChar](repeating: 0, count: 4096)
    let n = fread(&buffer, 1, buffer.count - 1, f)
    return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func command(_ pid: Int32) -> String {
    readProc(pid, "comm").trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Field 4 of /proc/PID/stat, after the parenthesised command name.
private func parentPID(_ pid: Int32) -> Int32 {
    let stat = readProc(pid, "stat")
    guard let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? Int32(fields[1]) ?? 0 : 0
}
