// `sqlx::migrate!` reads ../migrations at compile time; cargo does not know
// that, so a new migration would not be built in without this.
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
