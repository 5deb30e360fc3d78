// The few facts about the running system that the Swift side reads from Glibc.

import Glibc

/// Cores this process may run on (its affinity mask), not the machine's total.
func availableCores() -> Int {
    var set = cpu_set_t()
    if sched_getaffinity(0, MemoryLayout<cpu_set_t>.size, &set) == 0 {
        let count = withUnsafeBytes(of: &set) { bytes in
            bytes.reduce(0) { $0 + $1.nonzeroBitCount }
        }
        if count > 0 { return count }
    }
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

/// "ENOENT: No such file or directory" for an errno value.
func errnoName(_ code: Int32) -> String {
    String(cString: strerror(code))
}
