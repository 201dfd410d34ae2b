.class public interface abstract Lcom/apkpriv/sample/reach/IdSource;
.super Ljava/lang/Object;
.source "IdSource.java"

# Case b: an interface with exactly one implementation (ImeiSource).

.method public abstract read(Landroid/content/Context;)Ljava/lang/String;
.end method
