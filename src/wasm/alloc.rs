//! The wasm module's memory allocator: power-of-two size classes with one free list each,
//! carved from a bump region that `memory.grow` extends. It replaces the default `dlmalloc`,
//! which costs about 9 KB of code (4 KB gzipped) for generality this client does not need:
//! its allocations are small (strings, models) and short-lived, and freed blocks are reused
//! by size class. Like dlmalloc on wasm, it never gives memory back (wasm cannot shrink).
//! Single-threaded, as the wasm module is.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

const PAGE: usize = 65_536;
/// Classes 2^3 … 2^31 bytes.
const MIN_SHIFT: u32 = 3;
const CLASSES: usize = 29;

struct State {
    /// Head of each class's free list (a freed block holds the next pointer).
    free: [usize; CLASSES],
    /// The bump region: `[next, end)`.
    next: usize,
    end: usize,
}

/// The allocator (see the module documentation).
pub struct SizeClassAlloc(UnsafeCell<State>);

// SAFETY: the wasm module runs on one thread; nothing here is shared across threads.
unsafe impl Sync for SizeClassAlloc {}

impl SizeClassAlloc {
    /// An allocator with no memory yet.
    pub const fn new() -> Self {
        SizeClassAlloc(UnsafeCell::new(State {
            free: [0; CLASSES],
            next: 0,
            end: 0,
        }))
    }
}

impl Default for SizeClassAlloc {
    fn default() -> Self {
        Self::new()
    }
}

/// The class of a layout: blocks of `1 << (class + MIN_SHIFT)` bytes, which also satisfies
/// its alignment (a block is aligned to its size).
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_SHIFT);
    let shift = size.checked_next_power_of_two()?.trailing_zeros();
    let class = usize::try_from(shift.checked_sub(MIN_SHIFT)?).ok()?;
    (class < CLASSES).then_some(class)
}

/// `memory.grow` by `pages`; the start address of the new pages, or `None`.
fn grow(pages: usize) -> Option<usize> {
    let old = core::arch::wasm32::memory_grow(0, pages);
    (old != usize::MAX).then(|| old * PAGE)
}

unsafe impl GlobalAlloc for SizeClassAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return std::ptr::null_mut();
        };
        // SAFETY: single-threaded (see `Sync`), and no allocation happens while `s` is held.
        let s = unsafe { &mut *self.0.get() };
        let size = 1usize << (class as u32 + MIN_SHIFT);
        let Some(head) = s.free.get_mut(class) else {
            return std::ptr::null_mut();
        };
        if *head != 0 {
            let block = *head;
            // SAFETY: `block` is a freed block of this class, holding the next free block.
            *head = unsafe { (block as *const usize).read() };
            return block as *mut u8;
        }
        // Bump, aligned to the block size.
        let mut start = (s.next + size - 1) & !(size - 1);
        if start + size > s.end || s.end == 0 {
            let need = size + if s.end == 0 { size } else { start - s.next };
            let pages = need.div_ceil(PAGE);
            let Some(base) = grow(pages) else {
                return std::ptr::null_mut();
            };
            if base != s.end {
                // Not contiguous with the old region (first use): start afresh.
                s.next = base;
            }
            s.end = base + pages * PAGE;
            start = (s.next + size - 1) & !(size - 1);
            if start + size > s.end {
                return std::ptr::null_mut();
            }
        }
        s.next = start + size;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            return;
        };
        // SAFETY: single-threaded; `ptr` is a live block of this class, now ours again.
        let s = unsafe { &mut *self.0.get() };
        if let Some(head) = s.free.get_mut(class) {
            unsafe { (ptr as *mut usize).write(*head) };
            *head = ptr as usize;
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return std::ptr::null_mut();
        };
        if class_of(layout) == class_of(new_layout) {
            return ptr;
        }
        // SAFETY: as for `alloc` and `dealloc`; the copy covers the smaller of the two sizes.
        unsafe {
            let new = self.alloc(new_layout);
            if !new.is_null() {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
            new
        }
    }
}
