//! Tests over the whole crate: the shipped example mapping and the original pipeline.

use super::*;
