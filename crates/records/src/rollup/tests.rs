//! Tests of `rollup`.

use super::*;
